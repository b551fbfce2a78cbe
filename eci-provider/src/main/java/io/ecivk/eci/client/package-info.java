/** The typed ECI client: request and response records over tea-openapi, and the one place ECI errors are classified. */
package io.ecivk.eci.client;
