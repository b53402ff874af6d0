#ifndef HTTPD_STATUS_H
#define HTTPD_STATUS_H

/* Reason phrase of an HTTP status, e.g. "Not Found" (static string; "Unknown" if unlisted). */
const char *httpd_status_text(unsigned int status);

#endif
