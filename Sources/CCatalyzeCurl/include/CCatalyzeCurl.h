// One HTTP exchange through libcurl's easy interface, for CatalyzeDrivers' CurlTransport.
// curl_easy_setopt is variadic, which Swift cannot call; this shim sets every option in C and
// hands Swift plain fields back.
#ifndef CCATALYZE_CURL_H
#define CCATALYZE_CURL_H

#include <stddef.h>

/// How an exchange ended.
typedef enum {
    CATALYZE_HTTP_OK = 0,
    /// No connection (TCP + TLS) within the connect timeout.
    CATALYZE_HTTP_CONNECT_TIMEOUT = 1,
    /// Connected, but no complete answer within the request timeout.
    CATALYZE_HTTP_ANSWER_TIMEOUT = 2,
    /// Any other network failure (refused, reset, DNS, TLS); `error` says which.
    CATALYZE_HTTP_FAILED = 3,
    /// `catalyze_http_cancel` was called.
    CATALYZE_HTTP_CANCELLED = 4,
} catalyze_http_outcome;

/// One request and, after `catalyze_http_perform`, its answer. Swift fills the request fields,
/// reads the answer fields, then calls `catalyze_http_exchange_release`.
typedef struct catalyze_http_exchange {
    const char *method;
    const char *url;
    /// `Name: value` lines (`Name:` alone removes a header curl would add).
    const char *const *headers;
    size_t header_count;
    const unsigned char *body;
    size_t body_length;
    long connect_timeout_ms;
    long timeout_ms;
    /// Non-zero: a new connection (no reused one, so libcurl never resends the request by itself).
    int fresh_connection;
    /// TLS: a PEM file of the certificate authorities to trust instead of the system's (NULL: the
    /// system's), and a client certificate and its private key, PEM files (NULL: none).
    const char *ca_file;
    const char *client_certificate;
    const char *client_key;

    long status;
    unsigned char *response_body;
    size_t response_body_length;
    /// The last header block received (status line included), as sent.
    char *response_headers;
    size_t response_headers_length;
    catalyze_http_outcome outcome;
    char error[256];
    /// Set from another thread by `catalyze_http_cancel`; read by libcurl's progress callback.
    volatile int cancelled;
} catalyze_http_exchange;

/// Initialises libcurl once per process (call before the first handle; not thread-safe).
/// Loads libcurl (once; dlopen) and initialises it. NULL when ready, else why it cannot be used.
const char *catalyze_http_global_init(void);
/// A new reusable handle (a libcurl easy handle, which keeps its connections open between uses).
void *catalyze_http_handle_new(void);
/// Frees a handle and closes its connections.
void catalyze_http_handle_free(void *handle);
/// Performs the exchange on `handle`, blocking the calling thread until it ends (by answer,
/// timeout, failure or cancellation). Resets the handle's options first; keeps its connections.
void catalyze_http_perform(void *handle, catalyze_http_exchange *exchange);
/// Asks a running exchange to stop (it ends within about a second, as CANCELLED).
void catalyze_http_cancel(catalyze_http_exchange *exchange);
/// Frees the answer's buffers.
void catalyze_http_exchange_release(catalyze_http_exchange *exchange);

#endif
