package io.tessera.examples.cnn;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.tessera.Device;
import io.tessera.nn.Sequential;
import io.tessera.optim.Adam;
import io.tessera.optim.Optimizer;

/** Binds the configured network on the run's device and an Adam optimizer over its parameters. */
public final class CnnModelModule extends AbstractModule {
    private final CnnConfig config;

    public CnnModelModule(CnnConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        bind(CnnConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    Sequential model(Device device) {
        return config.recipe().model(device, config.seed());
    }

    @Provides
    @Singleton
    Optimizer optimizer(Sequential model) {
        return new Adam(model.parameters(), config.lr());
    }
}
