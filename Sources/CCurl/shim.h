// libcurl for feeds over HTTP(S): curl_easy_setopt and curl_easy_getinfo are variadic, which
// Swift cannot call, so each kind of value has a typed wrapper.
#include <curl/curl.h>

static inline CURLcode agora_curl_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode agora_curl_string(CURL *c, CURLoption o, const char *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode agora_curl_pointer(CURL *c, CURLoption o, void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode agora_curl_list(CURL *c, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode agora_curl_offset(CURL *c, CURLoption o, curl_off_t v) { return curl_easy_setopt(c, o, v); }

typedef size_t (*agora_curl_data_callback)(char *data, size_t size, size_t count, void *user);
static inline CURLcode agora_curl_write_function(CURL *c, agora_curl_data_callback f) { return curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode agora_curl_header_function(CURL *c, agora_curl_data_callback f) { return curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, f); }

typedef int (*agora_curl_progress_callback)(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode agora_curl_progress_function(CURL *c, agora_curl_progress_callback f) { return curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, f); }

static inline CURLcode agora_curl_info_long(CURL *c, CURLINFO i, long *v) { return curl_easy_getinfo(c, i, v); }
