package io.dockwatch.sink.http;

/** Body formats of the HTTP sink ({@code dockwatch.sink.http.format}). */
public enum HttpFormat {
    NDJSON("ndjson"), JSON_ARRAY("json-array"), ELASTICSEARCH_BULK("elasticsearch-bulk"), SPLUNK_HEC("splunk-hec"),
    LOKI("loki"), SUMO("sumo");

    private final String spelling;

    HttpFormat(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }
}
