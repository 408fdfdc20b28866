#include "CCatalyzeCurl.h"

// libcurl is opened with dlopen(3) the first time catalyze makes an HTTP request, not linked:
// linked, it brought ~30 shared libraries (GnuTLS, Kerberos, LDAP, SSH, ...) into every start of
// the binary, and the dynamic loader's symbol binding for them was most of `catalyze validate`'s
// start-up time (20.7 ms median installed; the target is 20 ms). Commands that make no request
// (validate, init, state, show, --help, --version) never load it.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} api;
static int api_loaded;
static char api_error[512];
static pthread_once_t api_once = PTHREAD_ONCE_INIT;

static void load_api(void) {
    // Debian: libcurl4 (OpenSSL) is libcurl.so.4, libcurl3-gnutls is libcurl-gnutls.so.4; same ABI.
    const char *names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !library; i++) library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *why = dlerror();
        snprintf(api_error, sizeof api_error,
                 "cannot load libcurl (libcurl.so.4): %s; install it (Debian: apt-get install libcurl4)", why ? why : "not found");
        return;
    }
#define LOAD(field, symbol)                                                                              \
    do {                                                                                                 \
        *(void **)(&api.field) = dlsym(library, symbol);                                                 \
        if (!api.field) {                                                                                \
            snprintf(api_error, sizeof api_error, "libcurl (libcurl.so.4) has no %s: too old (7.73 or later is needed)", symbol); \
            return;                                                                                      \
        }                                                                                                \
    } while (0)
    LOAD(global_init, "curl_global_init");
    LOAD(easy_init, "curl_easy_init");
    LOAD(easy_cleanup, "curl_easy_cleanup");
    LOAD(easy_reset, "curl_easy_reset");
    LOAD(easy_setopt, "curl_easy_setopt");
    LOAD(easy_perform, "curl_easy_perform");
    LOAD(easy_getinfo, "curl_easy_getinfo");
    LOAD(easy_strerror, "curl_easy_strerror");
    LOAD(slist_append, "curl_slist_append");
    LOAD(slist_free_all, "curl_slist_free_all");
#undef LOAD
    api.global_init(CURL_GLOBAL_DEFAULT);
    api_loaded = 1;
}

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

const char *catalyze_http_global_init(void) {
    pthread_once(&api_once, load_api);
    return api_loaded ? NULL : api_error;
}

void *catalyze_http_handle_new(void) { return api_loaded ? api.easy_init() : NULL; }

void catalyze_http_handle_free(void *handle) {
    if (handle) api.easy_cleanup(handle);
}

void catalyze_http_cancel(catalyze_http_exchange *exchange) { __atomic_store_n(&exchange->cancelled, 1, __ATOMIC_SEQ_CST); }

void catalyze_http_perform(void *handle, catalyze_http_exchange *x) {
    CURL *curl = handle;
    transfer t = {x, {0}, {0}};
    struct curl_slist *headers = NULL;
    x->status = 0;
    x->outcome = CATALYZE_HTTP_FAILED;
    x->error[0] = 0;
    api.easy_reset(curl);  // options only: the connection cache, DNS cache and TLS sessions stay
    char error[CURL_ERROR_SIZE] = {0};
    api.easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    api.easy_setopt(curl, CURLOPT_URL, x->url);
    api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, x->connect_timeout_ms);
    api.easy_setopt(curl, CURLOPT_TIMEOUT_MS, x->timeout_ms);
    // libcurl resends a request whose reused connection closed before any answer came; a create
    // must not be sent twice, so it gets a connection that was never used before.
    if (x->fresh_connection) api.easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    if (x->ca_file) api.easy_setopt(curl, CURLOPT_CAINFO, x->ca_file);
    if (x->client_certificate) api.easy_setopt(curl, CURLOPT_SSLCERT, x->client_certificate);
    if (x->client_key) api.easy_setopt(curl, CURLOPT_SSLKEY, x->client_key);
    api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    api.easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    api.easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    api.easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    api.easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    api.easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    api.easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    if (strcmp(x->method, "HEAD") == 0) {
        api.easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        api.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, x->method);
        if (x->body_length > 0 || strcmp(x->method, "POST") == 0 || strcmp(x->method, "PUT") == 0) {
            api.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_length);
            api.easy_setopt(curl, CURLOPT_POSTFIELDS, x->body_length > 0 ? (const char *)x->body : "");
        }
    }
    for (size_t i = 0; i < x->header_count; i++) headers = api.slist_append(headers, x->headers[i]);
    // No `Expect: 100-continue` (a peer that ignores it would cost a second per large body).
    headers = api.slist_append(headers, "Expect:");
    api.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    CURLcode code = api.easy_perform(curl);
    api.slist_free_all(headers);
    api.easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
    if (code == CURLE_OK) {
        api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &x->status);
        x->outcome = CATALYZE_HTTP_OK;
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        curl_off_t connected = 0;
        api.easy_getinfo(curl, CURLINFO_APPCONNECT_TIME_T, &connected);
        if (connected == 0) api.easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected);
        x->outcome = connected > 0 ? CATALYZE_HTTP_ANSWER_TIMEOUT : CATALYZE_HTTP_CONNECT_TIMEOUT;
    } else if (code == CURLE_ABORTED_BY_CALLBACK) {
        x->outcome = CATALYZE_HTTP_CANCELLED;
    }
    const char *detail = error[0] ? error : api.easy_strerror(code);
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
