/** The {@code /containerLogs} query: parsing and validation into the SPI's log options. */
package io.ecivk.kubeletapi.logs;
