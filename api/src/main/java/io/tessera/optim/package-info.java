/**
 * Optimizers that update parameters in place on their device.
 */
package io.tessera.optim;
