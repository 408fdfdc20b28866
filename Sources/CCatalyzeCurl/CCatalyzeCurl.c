#include "CCatalyzeCurl.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data;
    size_t length;
    size_t capacity;
} buffer;

static int buffer_append(buffer *b, const void *bytes, size_t length) {
    if (b->length + length + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->length + length + 1) capacity *= 2;
        unsigned char *grown = realloc(b->data, capacity);
        if (!grown) return 0;
        b->data = grown;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, length);
    b->length += length;
    b->data[b->length] = 0;
    return 1;
}

typedef struct {
    catalyze_http_exchange *exchange;
    buffer body;
    buffer headers;
} transfer;

static size_t on_body(char *data, size_t size, size_t count, void *context) {
    transfer *t = context;
    return buffer_append(&t->body, data, size * count) ? size * count : 0;
}

static size_t on_header(char *data, size_t size, size_t count, void *context) {
    transfer *t = context;
    // A new status line starts a new block (after `100 Continue` or a redirect): keep the last one.
    if (size * count >= 5 && memcmp(data, "HTTP/", 5) == 0) t->headers.length = 0;
    return buffer_append(&t->headers, data, size * count) ? size * count : 0;
}

static int on_progress(void *context, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d) {
    (void)a; (void)b; (void)c; (void)d;
    transfer *t = context;
    return t->exchange->cancelled ? 1 : 0;
}

void catalyze_http_global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

void *catalyze_http_handle_new(void) { return curl_easy_init(); }

void catalyze_http_handle_free(void *handle) {
    if (handle) curl_easy_cleanup(handle);
}

void catalyze_http_cancel(catalyze_http_exchange *exchange) { __atomic_store_n(&exchange->cancelled, 1, __ATOMIC_SEQ_CST); }

void catalyze_http_perform(void *handle, catalyze_http_exchange *x) {
    CURL *curl = handle;
    transfer t = {x, {0}, {0}};
    struct curl_slist *headers = NULL;
    x->status = 0;
    x->outcome = CATALYZE_HTTP_FAILED;
    x->error[0] = 0;
    curl_easy_reset(curl);  // options only: the connection cache, DNS cache and TLS sessions stay
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_URL, x->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, x->connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, x->timeout_ms);
    // libcurl resends a request whose reused connection closed before any answer came; a create
    // must not be sent twice, so it gets a connection that was never used before.
    if (x->fresh_connection) curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    if (strcmp(x->method, "HEAD") == 0) {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, x->method);
        if (x->body_length > 0 || strcmp(x->method, "POST") == 0 || strcmp(x->method, "PUT") == 0) {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_length);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, x->body_length > 0 ? (const char *)x->body : "");
        }
    }
    for (size_t i = 0; i < x->header_count; i++) headers = curl_slist_append(headers, x->headers[i]);
    // No `Expect: 100-continue` (a peer that ignores it would cost a second per large body).
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
    if (code == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &x->status);
        x->outcome = CATALYZE_HTTP_OK;
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        curl_off_t connected = 0;
        curl_easy_getinfo(curl, CURLINFO_APPCONNECT_TIME_T, &connected);
        if (connected == 0) curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected);
        x->outcome = connected > 0 ? CATALYZE_HTTP_ANSWER_TIMEOUT : CATALYZE_HTTP_CONNECT_TIMEOUT;
    } else if (code == CURLE_ABORTED_BY_CALLBACK) {
        x->outcome = CATALYZE_HTTP_CANCELLED;
    }
    const char *detail = error[0] ? error : curl_easy_strerror(code);
    strncpy(x->error, detail, sizeof x->error - 1);
    x->error[sizeof x->error - 1] = 0;
    x->response_body = t.body.data;
    x->response_body_length = t.body.length;
    x->response_headers = (char *)t.headers.data;
    x->response_headers_length = t.headers.length;
}

void catalyze_http_exchange_release(catalyze_http_exchange *x) {
    free(x->response_body);
    free(x->response_headers);
    x->response_body = NULL;
    x->response_headers = NULL;
    x->response_body_length = 0;
    x->response_headers_length = 0;
}
