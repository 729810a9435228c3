/**
 * Reverse-mode automatic differentiation: {@link io.tessera.autograd.Graph} records the ops of a step and computes
 * the gradients of their inputs, and {@link io.tessera.autograd.Module} is a model written as forward code only on
 * top of it. Tensors the ops return belong to the graph and stay valid until its next reset; callers never close
 * them. Not thread-safe: one thread runs a step.
 */
package io.tessera.autograd;
