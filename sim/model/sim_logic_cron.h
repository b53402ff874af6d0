/*
 * The schedules of Scheduled logic triggers: five-field cron expressions ("minute hour
 * day-of-month month day-of-week", UTC) as particle-cli's fixtures write them ("* * * * *").
 * Each field takes "*", numbers, ranges "a-b", lists "a,b" and steps "* /n" or "a-b/n";
 * day-of-week 0-7 (0 and 7 are Sunday). When both day fields are restricted a day matches
 * either, as in Vixie cron. No names (JAN, MON) and no "@hourly" forms.
 */
#ifndef SIM_LOGIC_CRON_H
#define SIM_LOGIC_CRON_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sim_cron {
    uint64_t minutes;  /* bit n: minute n */
    uint32_t hours;    /* bit n: hour n */
    uint32_t days;     /* bit n: day n of the month (1-31) */
    uint16_t months;   /* bit n: month n (1-12) */
    uint8_t weekdays;  /* bit n: weekday n (0 = Sunday) */
    bool days_any;     /* day-of-month was "*" */
    bool weekdays_any; /* day-of-week was "*" */
} sim_cron;

/* Parses @p text; false when it is not a cron expression of the form above. */
bool sim_cron_parse(const char *text, sim_cron *out);

/* The first whole minute strictly after @p after_ms that @p cron matches, or -1 when none
 * comes within eight years (e.g. "0 0 31 2 *"). */
int64_t sim_cron_next(const sim_cron *cron, int64_t after_ms);

#endif
