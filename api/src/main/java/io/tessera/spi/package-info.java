/**
 * The backend SPI: what a backend implements (BackendProvider, Device memory, Kernels) and how layers register for checkpoints (LayerFactory). Read docs/writing-a-backend.md first.
 */
package io.tessera.spi;
