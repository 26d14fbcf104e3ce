/* event.c - names of the run's events (see precall/event.h). */
#include "precall/event.h"

const char *pc_event_name(enum pc_event_kind k)
{
    static const char *const names[] = {
        [PC_EVENT_RUN_START] = "run_start",   [PC_EVENT_PROBE_START] = "probe_start",
        [PC_EVENT_PHASE] = "phase",           [PC_EVENT_FIGURE] = "figure",
        [PC_EVENT_PROBE_DONE] = "probe_done", [PC_EVENT_RUN_DONE] = "run_done",
    };

    return (int)k >= 0 && k <= PC_EVENT_RUN_DONE ? names[k] : "unknown";
}
