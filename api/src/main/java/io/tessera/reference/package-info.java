/**
 * A small plain-Java backend that defines what every kernel computes: simple rather than fast, not registered with
 * {@link java.util.ServiceLoader}, so {@link io.tessera.Devices} never picks it. The conformance kit
 * ({@code tessera-tck}) uses a {@link io.tessera.reference.ReferenceDevice} as the second device of its cross-device
 * tests and runs itself against one; Tessera's own tests use it where any device will do.
 */
package io.tessera.reference;
