/**
 * A tiny pure-Java backend used by the conformance kit: the second device of the cross-device tests, and the backend
 * that {@code tessera-api}'s own build runs the whole kit against. Simple rather than fast; not for training.
 */
package io.tessera.tck.reference;
