/** Locality-sensitive hash families (SimHash, densified winner-take-all) and reservoir-sampled hash tables. */
package io.tessera.slide.lsh;
