/**
 * Requests and responses of the ECI 2018-08-08 API, as immutable records. Names follow the API: a request
 * renders itself as the nested parameter map the official SDK builds (PascalCase keys, lists as lists), and the
 * client flattens it with the SDK's own flattener, so what goes on the wire is what the generated client sends.
 * Responses are read from the JSON the service returns; missing lists become empty lists, never null.
 */
package io.ecivk.eci.client.model;
