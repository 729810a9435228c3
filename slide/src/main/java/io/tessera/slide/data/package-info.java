/**
 * Extreme-classification data: CSR matrices and batches, the repository's text format ({@link
 * io.tessera.slide.data.XcFormat}) and a deterministic generator ({@link io.tessera.slide.data.SyntheticExtreme}).
 */
package io.tessera.slide.data;
