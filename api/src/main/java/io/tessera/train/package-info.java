/**
 * The tutorial's training loop (fit, evaluate, accuracy), its results and listeners.
 */
package io.tessera.train;
