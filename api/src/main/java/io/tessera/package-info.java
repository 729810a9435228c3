/**
 * Tensors, devices and device discovery: the types a user of Tessera starts from (Devices.defaultDevice(), Tensor, Shape).
 */
package io.tessera;
