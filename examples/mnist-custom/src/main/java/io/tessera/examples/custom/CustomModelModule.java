package io.tessera.examples.custom;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.tessera.Device;
import io.tessera.nn.Layer;
import io.tessera.optim.Adam;
import io.tessera.optim.Optimizer;

/** Binds the residual MLP (also as the run's {@link Layer}) on the run's device and an Adam optimizer over its parameters. */
public final class CustomModelModule extends AbstractModule {
    private final CustomConfig config;

    public CustomModelModule(CustomConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(CustomConfig.class).toInstance(config);
        bind(Layer.class).to(ResidualMlp.class);
    }

    @Provides
    @Singleton
    ResidualMlp model(Device device) {
        return ResidualMlp.mnist(config.seed(), device);
    }

    @Provides
    @Singleton
    Optimizer optimizer(Layer model) {
        return new Adam(model.parameters(), config.lr());
    }
}
