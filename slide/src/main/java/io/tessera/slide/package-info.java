/**
 * SLIDE (Chen et al., MLSys 2020) on the CPU: a sparse-input layer ({@link io.tessera.slide.SparseLinear}), a
 * hash-sampled output layer ({@link io.tessera.slide.SlideLinear}) and its dense baseline
 * ({@link io.tessera.slide.DenseOutput}), put together by {@link io.tessera.slide.ExtremeNetwork}. The sparse layers run
 * on the host (the CPU); the dense baseline runs on any device. See {@code docs/slide.md}.
 */
package io.tessera.slide;
