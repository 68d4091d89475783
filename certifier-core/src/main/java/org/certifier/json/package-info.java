/**
 * The one strict JSON (RFC 8259) reader of the framework, shared by the readers of untrusted
 * JSON: the service's operator API (request bodies) and the Intel collateral reader (documents
 * whose exact text Intel signs). Each caller maps {@link
 * org.certifier.json.JsonReader.MalformedJsonException} to its own error: an HTTP 400 or a
 * {@code MALFORMED_EVIDENCE} verification failure.
 */
package org.certifier.json;
