package io.dockwatch.sink.http;

import java.util.List;
import java.util.Map;

/**
 * One request's worth: the body in the receiver's format, its headers, and the records it
 * carries (kept so a rejected request can be dead-lettered or split as plain records).
 */
record HttpPayload(List<byte[]> records, byte[] body, String contentType, Map<String, String> headers) {
}
