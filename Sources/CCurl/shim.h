// libcurl for feeds over HTTP(S), loaded when the first request is made rather than when agora
// starts: the reader, the caches and the command line run without it, and a process that never
// fetches does not map libcurl and the thirty libraries it brings (TLS, Kerberos, LDAP, ...),
// about 5.5 MiB of a reader's memory. The library is libcurl.so.4 unless AGORA_LIBCURL names
// another (a path, or a name such as libcurl-gnutls.so.4).
//
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call, so each kind of
// value has a typed wrapper.
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} agora_curl_api;

typedef struct {
    agora_curl_api api;
    int loaded;
    char error[512];
} agora_curl_state;

static inline agora_curl_state *agora_curl_shared(void) {
    static agora_curl_state state;
    return &state;
}

static inline void agora_curl_load_once(void) {
    agora_curl_state *s = agora_curl_shared();
    const char *name = getenv("AGORA_LIBCURL");
    if (!name || !*name) name = "libcurl.so.4";
    void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        strncpy(s->error, why ? why : name, sizeof s->error - 1);
        return;
    }
#define AGORA_CURL_SYMBOL(field, symbol)                                                   \
    *(void **)(&s->api.field) = dlsym(lib, symbol);                                        \
    if (!s->api.field) {                                                                   \
        strncpy(s->error, name, sizeof s->error - 40);                                     \
        strcat(s->error, ": no " symbol);                                                  \
        return;                                                                            \
    }
    AGORA_CURL_SYMBOL(global_init, "curl_global_init")
    AGORA_CURL_SYMBOL(easy_init, "curl_easy_init")
    AGORA_CURL_SYMBOL(easy_cleanup, "curl_easy_cleanup")
    AGORA_CURL_SYMBOL(easy_reset, "curl_easy_reset")
    AGORA_CURL_SYMBOL(easy_perform, "curl_easy_perform")
    AGORA_CURL_SYMBOL(easy_strerror, "curl_easy_strerror")
    AGORA_CURL_SYMBOL(easy_setopt, "curl_easy_setopt")
    AGORA_CURL_SYMBOL(easy_getinfo, "curl_easy_getinfo")
    AGORA_CURL_SYMBOL(slist_append, "curl_slist_append")
    AGORA_CURL_SYMBOL(slist_free_all, "curl_slist_free_all")
#undef AGORA_CURL_SYMBOL
    if (s->api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        strncpy(s->error, name, sizeof s->error - 40);
        strcat(s->error, ": curl_global_init failed");
        return;
    }
    s->loaded = 1;
}

static inline pthread_once_t *agora_curl_once(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    return &once;
}

/// libcurl, loaded and set up at the first call: NULL when it cannot be loaded, and then
/// agora_curl_error() says why.
static inline const agora_curl_api *agora_curl(void) {
    pthread_once(agora_curl_once(), agora_curl_load_once);
    return agora_curl_shared()->loaded ? &agora_curl_shared()->api : NULL;
}

static inline const char *agora_curl_error(void) { return agora_curl_shared()->error; }

static inline CURLcode agora_curl_long(CURL *c, CURLoption o, long v) { return agora_curl()->easy_setopt(c, o, v); }
static inline CURLcode agora_curl_string(CURL *c, CURLoption o, const char *v) { return agora_curl()->easy_setopt(c, o, v); }
static inline CURLcode agora_curl_pointer(CURL *c, CURLoption o, void *v) { return agora_curl()->easy_setopt(c, o, v); }
static inline CURLcode agora_curl_list(CURL *c, CURLoption o, struct curl_slist *v) { return agora_curl()->easy_setopt(c, o, v); }
static inline CURLcode agora_curl_offset(CURL *c, CURLoption o, curl_off_t v) { return agora_curl()->easy_setopt(c, o, v); }

typedef size_t (*agora_curl_data_callback)(char *data, size_t size, size_t count, void *user);
static inline CURLcode agora_curl_write_function(CURL *c, agora_curl_data_callback f) { return agora_curl()->easy_setopt(c, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode agora_curl_header_function(CURL *c, agora_curl_data_callback f) { return agora_curl()->easy_setopt(c, CURLOPT_HEADERFUNCTION, f); }

typedef int (*agora_curl_progress_callback)(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode agora_curl_progress_function(CURL *c, agora_curl_progress_callback f) { return agora_curl()->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, f); }

static inline CURLcode agora_curl_info_long(CURL *c, CURLINFO i, long *v) { return agora_curl()->easy_getinfo(c, i, v); }

static inline CURL *agora_curl_easy_init(void) { return agora_curl()->easy_init(); }
static inline void agora_curl_easy_cleanup(CURL *c) { agora_curl()->easy_cleanup(c); }
static inline void agora_curl_easy_reset(CURL *c) { agora_curl()->easy_reset(c); }
static inline CURLcode agora_curl_easy_perform(CURL *c) { return agora_curl()->easy_perform(c); }
static inline const char *agora_curl_easy_strerror(CURLcode code) { return agora_curl()->easy_strerror(code); }
static inline struct curl_slist *agora_curl_slist_append(struct curl_slist *list, const char *s) { return agora_curl()->slist_append(list, s); }
static inline void agora_curl_slist_free_all(struct curl_slist *list) { agora_curl()->slist_free_all(list); }
