/**
 * MNIST and Fashion-MNIST for any program, without Guice or the examples: where their files are looked for
 * ({@link io.tessera.datasets.DatasetLocator}), how they are downloaded and checked when missing
 * ({@link io.tessera.datasets.Downloader}), what the four files are ({@link io.tessera.datasets.MnistFiles}), and
 * a found folder read into datasets ({@link io.tessera.datasets.DatasetFolder}). Only the JDK and {@code tessera-api}
 * are used: {@link java.net.http.HttpClient} for downloads, {@link System.Logger} for messages.
 */
package io.tessera.datasets;
