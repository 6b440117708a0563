package io.dockwatch.it;

import io.dockwatch.testing.Collector;

/** Every LogsIT case through the logs API (dockwatch.logs.read=api): the path remote daemons and other log drivers take. */
class LogsApiPathIT extends LogsIT {
    @Override
    protected Collector collector() {
        return super.collector().with("dockwatch.logs.read", "api");
    }
}
