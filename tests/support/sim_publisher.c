#include "sim_publisher.h"

#include <curl/curl.h>
#include <stdio.h>

#include "http_client.h"
#include "pu_time.h"

static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

static void *publisher_main(void *arg)
{
    sim_publisher *p = arg;
    char url[256], auth[256], body[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/sim/devices/%s/events", p->sim_port, p->device);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", p->token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    while (!atomic_load(&p->stop)) {
        long next = atomic_load(&p->published) + 1;
        snprintf(body, sizeof body, "{\"name\":\"%s\",\"data\":\"%ld\"}", p->event_name, next);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        long status = 0;
        if (curl_easy_perform(c) == CURLE_OK &&
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status == 200) {
            atomic_store(&p->published, next);
        } else {
            atomic_fetch_add(&p->failures, 1);
        }
        pu_time_sleep_ms(p->period_ms);
    }
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    return NULL;
}

int sim_publisher_start(sim_publisher *p)
{
    atomic_init(&p->stop, false);
    atomic_init(&p->published, 0);
    atomic_init(&p->failures, 0);
    return pthread_create(&p->thread, NULL, publisher_main, p) == 0 ? 0 : -1;
}

void sim_publisher_stop(sim_publisher *p)
{
    atomic_store(&p->stop, true);
    pthread_join(p->thread, NULL);
}

long sim_sse_subscribers(unsigned short sim_port, const char *token)
{
    char url[128];
    http_headers hdrs;
    http_call call = {.url = http_url(url, sizeof url, sim_port, "/sim/status"),
                      .headers = http_headers_bearer(&hdrs, token, NULL, NULL),
                      .timeout_ms = 5000};
    http_reply r;
    long n = -1;
    if (http_perform(&call, &r) == 0 && r.status == 200) {
        json_t *j = http_reply_json(&r);
        json_t *v = json_object_get(j, "sse_subscribers");
        n = json_is_integer(v) ? (long)json_integer_value(v) : -1;
        json_decref(j);
    }
    http_reply_dispose(&r);
    return n;
}
