/*
 * advice.c - the advice step: the rules (advice_rules.c) matched against a
 * scored report, expanded and ranked (see precall/advice.h and
 * core/advice_rules.h for what a rule says).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/advice_rules.h"
#include "precall/advice.h"
#include "precall/score.h"

/* What a rule found: the values its template quotes. */
struct finding {
    int metric;
    size_t scope;
    int tier; /* the tier whose limit is quoted, or -1 */
    double value, limit, per;
    const char *subject;
    char probes[96]; /* the checks that gave a CAUSE: "the http and bandwidth checks" */
    int series;
};

/* The rules and the profile the step reads, for the helpers below. */
struct step {
    const struct pc_report *r;
    const struct pc_profile *p;
    const struct pc_rule *rules;
    size_t n;
};

static double level_of(const struct step *st, const struct pc_rule_level *l)
{
    return l->from_profile ? st->p->advice[l->of] : l->fixed;
}

const struct pc_advice *pc_advice_find(const struct pc_report *r, const char *id)
{
    for (size_t i = 0; i < r->n_advice; i++)
        if (strcmp(r->advice[i].id, id) == 0)
            return &r->advice[i];
    return NULL;
}

static int match_cause(const struct pc_report *r, const struct pc_rule *ru, struct finding *f)
{
    const char *id = pc_cause_id(ru->cause_is);
    size_t n = 0, last = 0;

    for (size_t i = 0; i < r->n_probes; i++) {
        if (id[0] == '\0' || strcmp(r->probes[i].cause, id) != 0)
            continue;
        if (n++ == 0)
            f->subject = r->probes[i].subject;
        last = i;
    }
    /* "the udp check", "the http and bandwidth checks", "the dns, http and bandwidth checks" */
    for (size_t i = 0, k = 0; i < r->n_probes && n > 0; i++) {
        size_t len = strlen(f->probes);

        if (strcmp(r->probes[i].cause, id) != 0)
            continue;
        snprintf(f->probes + len, sizeof(f->probes) - len, "%s%s",
                 k == 0      ? "the "
                 : i == last ? " and "
                             : ", ",
                 r->probes[i].name);
        k++;
    }
    if (n > 0) {
        size_t len = strlen(f->probes);

        snprintf(f->probes + len, sizeof(f->probes) - len, "%s", n == 1 ? " check" : " checks");
    }
    return n > 0;
}

/* The gating scope where the metric fell lowest below HD. */
static int match_miss(const struct pc_report *r, const struct pc_rule *ru, struct finding *f)
{
    int worst = PC_TIER_HD;

    for (size_t i = 0; i < r->n_scopes; i++) {
        const struct pc_scope *s = r->scopes[i];
        const struct pc_check *c = &s->checks[ru->metric];

        if (!s->gates || !c->gated || !s->values[ru->metric].set || c->tier >= worst)
            continue;
        worst = c->tier;
        f->scope = i;
        f->value = s->values[ru->metric].num;
        f->tier = pc_score_next_tier(c);
        f->limit = f->tier >= 0 ? c->threshold[f->tier] : NAN;
    }
    return worst < PC_TIER_HD;
}

/* Does value v (with per, the value a RATIO divides by) meet match against level? */
static int meets(enum pc_rule_match match, const struct pc_value *v, const struct pc_value *per,
                 double level, const char *text)
{
    if (!v->set)
        return 0;
    switch (match) {
    case PC_RULE_ABOVE:
        return v->num > level;
    case PC_RULE_AT_LEAST:
        return v->num >= level;
    case PC_RULE_BELOW:
        return v->num < level;
    case PC_RULE_TEXT_IS:
        return v->text != NULL && strcmp(v->text, text) == 0;
    case PC_RULE_TEXT_ISNT:
        return v->text != NULL && strcmp(v->text, text) != 0;
    case PC_RULE_VALUE_IS:
        return v->num == level;
    case PC_RULE_RATIO_ABOVE:
        return per != NULL && per->set && per->num > 0 && 100.0 * v->num / per->num > level;
    default:
        return 0;
    }
}

/* Does the rule's further condition hold in the scope (or, not set there, in the run)? */
static int holds(const struct step *st, const struct pc_rule *ru, size_t scope)
{
    const struct pc_rule_cond *c = ru->when;
    const struct pc_value *w;

    if (c == NULL)
        return 1;
    w = pc_report_get(st->r, scope, c->metric);
    if (!w->set)
        w = pc_report_get(st->r, PC_SCOPE_RUN_ID, c->metric);
    return meets(c->match, w, NULL, level_of(st, &c->level), c->text);
}

/* The first scope, the run first, where the value meets the rule (and its condition). */
static int match_value(const struct step *st, const struct pc_rule *ru, struct finding *f)
{
    const struct pc_report *r = st->r;
    double level = level_of(st, &ru->level);

    for (size_t i = 0; i < r->n_scopes; i++) {
        const struct pc_value *v = pc_report_get(r, i, ru->metric);
        const struct pc_value *per =
            ru->match == PC_RULE_RATIO_ABOVE ? pc_report_get(r, i, ru->per) : NULL;

        if (!meets(ru->match, v, per, level, ru->arg) || !holds(st, ru, i))
            continue;
        f->scope = i;
        f->value = v->num;
        f->per = per != NULL ? per->num : NAN;
        f->limit = ru->match == PC_RULE_ABOVE || ru->match == PC_RULE_BELOW ||
                           ru->match == PC_RULE_AT_LEAST
                       ? level
                       : NAN;
        return 1;
    }
    return 0;
}

static int matches(const struct step *st, const struct pc_rule *ru, struct finding *f)
{
    if (ru->run_only && st->r->interrupted)
        return 0;
    f->metric = ru->match == PC_RULE_CAUSE ? -1 : ru->metric;
    switch (ru->match) {
    case PC_RULE_CAUSE:
        return match_cause(st->r, ru, f) && holds(st, ru, f->scope);
    case PC_RULE_MISS:
        return match_miss(st->r, ru, f) && holds(st, ru, f->scope);
    default:
        return match_value(st, ru, f);
    }
}

/* Is id one of the comma-separated ids in list? */
static int in_list(const char *list, const char *id)
{
    size_t n = strlen(id);

    for (const char *p = list; p != NULL && *p != '\0';
         p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* The worst point of the finding's series: "14:03:12 UTC", and the seconds in a row past the limit.
 */
static void worst_moment(const struct pc_report *r, const struct finding *f, char *when,
                         size_t wcap, char *span, size_t scap)
{
    const struct pc_series *se = pc_report_series(r, f->scope, f->series);
    const struct pc_metric_def *d = pc_metric_def(f->series);
    double over = !isnan(f->limit) && f->metric != f->series ? f->limit : 0;
    size_t w = 0, lo, hi;

    snprintf(when, wcap, "an unknown time");
    snprintf(span, scap, "a moment");
    if (se == NULL || se->n == 0 || d == NULL)
        return;
    for (size_t i = 1; i < se->n; i++)
        if (d->better == PC_BETTER_HIGHER ? se->v[i] < se->v[w] : se->v[i] > se->v[w])
            w = i;
    pc_report_moment(r, se->t_ns[w], when, wcap);
    for (lo = w; lo > 0 && se->v[lo - 1] > over; lo--)
        ;
    for (hi = w; hi + 1 < se->n && se->v[hi + 1] > over; hi++)
        ;
    snprintf(span, scap, "%zu s", hi - lo + 1);
}

static void expand(const struct pc_report *r, const char *tpl, const struct finding *f, char *buf,
                   size_t cap)
{
    const struct pc_metric_def *d = f->metric >= 0 ? pc_metric_def(f->metric) : NULL;
    size_t n = 0;

    buf[0] = '\0';
    while (*tpl != '\0' && n + 1 < cap) {
        char piece[300] = "";
        const char *end;

        if (*tpl != '{' || (end = strchr(tpl, '}')) == NULL) {
            buf[n++] = *tpl++;
            buf[n] = '\0';
            continue;
        }
        if (strncmp(tpl, "{value}", 7) == 0 && d != NULL)
            pc_metric_format(d, f->value, piece, sizeof(piece));
        else if (strncmp(tpl, "{limit}", 7) == 0 && d != NULL && !isnan(f->limit))
            pc_metric_format_limit(d, f->limit, piece, sizeof(piece));
        else if (strncmp(tpl, "{tier}", 6) == 0 && f->tier >= 0)
            snprintf(piece, sizeof(piece), "%s", pc_tier_short_label(f->tier));
        else if (strncmp(tpl, "{subject}", 9) == 0 && f->subject != NULL)
            snprintf(piece, sizeof(piece), "%s", f->subject);
        else if (strncmp(tpl, "{probes}", 8) == 0)
            snprintf(piece, sizeof(piece), "%s", f->probes);
        else if (strncmp(tpl, "{Probes}", 8) == 0) {
            snprintf(piece, sizeof(piece), "%s", f->probes);
            piece[0] = (char)toupper((unsigned char)piece[0]);
        } else if (strncmp(tpl, "{per}", 5) == 0 && !isnan(f->per))
            snprintf(piece, sizeof(piece), "%.0f", f->per);
        else if (strncmp(tpl, "{label}", 7) == 0)
            snprintf(piece, sizeof(piece), "%s", r->scopes[f->scope]->label);
        else if (strncmp(tpl, "{when}", 6) == 0 && f->series > 0) {
            char span[32];

            worst_moment(r, f, piece, sizeof(piece), span, sizeof(span));
        } else if (strncmp(tpl, "{for}", 5) == 0 && f->series > 0) {
            char when[64];

            worst_moment(r, f, when, sizeof(when), piece, sizeof(piece));
        } else if (strncmp(tpl, "{scope}", 7) == 0 && f->scope != PC_SCOPE_RUN_ID)
            snprintf(piece, sizeof(piece), " %s %s",
                     pc_scope_kind_def(r->scopes[f->scope]->kind)->in, r->scopes[f->scope]->id);
        n += (size_t)snprintf(buf + n, cap - n, "%s", piece);
        if (n >= cap)
            n = cap - 1;
        tpl = end + 1;
    }
}

static const char *severity(const struct pc_report *r, const struct pc_rule *ru,
                            const struct finding *f)
{
    const struct pc_check *c;

    if (ru->severity != NULL)
        return ru->severity;
    if (ru->match == PC_RULE_CAUSE || ru->match == PC_RULE_VALUE_IS)
        return pc_score_measured_tier(r) <= PC_TIER_NONE && ru->network ? "critical" : "warning";
    if (ru->match != PC_RULE_MISS)
        return "info";
    c = &r->scopes[f->scope]->checks[f->metric];
    if (c->tier <= PC_TIER_NONE)
        return "critical";
    return c->tier < r->require ? "warning" : "info";
}

/*
 * Did a rule that silences this one match, or an earlier alternative of the
 * same id? Praise is silenced by a verdict below the tier it praises, and by
 * any cause the headline could name.
 */
static int silenced(const struct step *st, size_t i, const unsigned char *hit)
{
    const struct pc_rule *ru = &st->rules[i];

    if (ru->praises > 0 && (st->r->tier < ru->praises || st->r->interrupted))
        return 1;
    for (size_t k = 0; k < st->n; k++) {
        if (!hit[k])
            continue;
        if (ru->unless != NULL && in_list(ru->unless, st->rules[k].id))
            return 1;
        if (k < i && strcmp(st->rules[k].id, ru->id) == 0)
            return 1;
        if (ru->praises > 0 && st->rules[k].cause != NULL)
            return 1;
    }
    return 0;
}

const char *pc_advice_id(size_t i)
{
    size_t n;
    const struct pc_rule *rules = pc_advice_rules(&n);

    for (size_t k = 0; k < n; k++) {
        if (k > 0 && strcmp(rules[k - 1].id, rules[k].id) == 0)
            continue;
        if (i-- == 0)
            return rules[k].id;
    }
    return NULL;
}

/* The rules are sorted by rank, so the advice comes out most effective fix first. */
void pc_advice_build(struct pc_report *r, const struct pc_profile *p)
{
    struct step st = {.r = r, .p = p};
    struct finding *found;
    unsigned char *hit;

    st.rules = pc_advice_rules(&st.n);
    r->n_advice = 0;
    found = calloc(st.n, sizeof(*found));
    hit = calloc(st.n, 1);
    if (found == NULL || hit == NULL)
        goto out;
    for (size_t i = 0; i < st.n; i++) {
        found[i] = (struct finding){.metric = -1,
                                    .scope = PC_SCOPE_RUN_ID,
                                    .tier = -1,
                                    .value = NAN,
                                    .limit = NAN,
                                    .per = NAN,
                                    .series = st.rules[i].series};
        hit[i] = (unsigned char)matches(&st, &st.rules[i], &found[i]);
    }
    for (size_t i = 0; i < st.n && r->n_advice < PC_ADVICE_MAX; i++) {
        const struct pc_rule *ru = &st.rules[i];
        struct finding *f = &found[i];
        struct pc_advice *a;

        if (!hit[i] || silenced(&st, i, hit))
            continue;
        a = &r->advice[r->n_advice++];
        a->id = ru->id;
        a->rank = ru->rank;
        a->metric = f->metric;
        a->scope = f->scope;
        a->value = f->metric >= 0 && ru->match != PC_RULE_TEXT_IS ? f->value : NAN;
        if (pc_metric_def(f->metric) != NULL && pc_metric_def(f->metric)->kind == PC_KIND_TEXT)
            a->value = NAN;
        a->threshold = f->limit;
        a->severity = severity(r, ru, f);
        expand(r, ru->text, f, a->text, sizeof(a->text));
        a->cause[0] = '\0';
        if (ru->cause != NULL)
            expand(r, ru->cause, f, a->cause, sizeof(a->cause));
        a->about_network = ru->network;
    }
out:
    free(found);
    free(hit);
}
