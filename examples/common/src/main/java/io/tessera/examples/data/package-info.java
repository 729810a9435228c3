/**
 * The datasets of the examples, MNIST and Fashion-MNIST: where their files are looked for
 * ({@link io.tessera.examples.data.DatasetLocator}), how they are downloaded and checked when missing
 * ({@link io.tessera.examples.data.Downloader}), and what the four files are ({@link io.tessera.examples.data.MnistFiles}).
 * Only the JDK is used: {@link java.net.http.HttpClient} for downloads, {@link System.Logger} for messages.
 */
package io.tessera.examples.data;
