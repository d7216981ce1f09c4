/* KPI formulas (DESIGN §8) and the representative sample size. Counting is
 * done by the store (src/store/kpi_query.c); this file only turns counts into
 * ratios, where a zero denominator gives NAN (printed as null), never 0. */
#include <math.h>
#include <string.h>

#include "cxm/kpi.h"

static double ratio(double num, int64_t den, double scale)
{
    return den ? num / (double)den * scale : NAN;
}

void kpi_compute(const kpi_counts *c, double k, kpi_values *v)
{
    const int64_t R = c->ratings_total, P = c->positive, S = c->silent, L = c->loyal;
    /* C is counted per cell by the caller (kpi_run): a group-wide fallback
     * would let one site's till counts hide another site's arrivals. */
    const int64_t C = c->customers > 0 ? c->customers : 0;
    memset(v, 0, sizeof *v);
    v->contacts_base = C;
    v->csat = ratio((double)P, R, 100.0);
    v->support_index = ratio((double)P, C, 100.0);
    v->criticality_index = ratio((double)(R - P), C, 100.0);
    v->response_rate = ratio((double)R, C, 100.0);
    v->emonps = ratio((double)L - (double)(R - P) - k * (double)S, R + S, 100.0);
    int64_t labelled = 0;
    for (int i = 0; i < EMO_COUNT; i++)
        if (i != EMO_UNKNOWN) labelled += c->emo[i];
    v->smile_share = ratio((double)c->emo[EMO_POSITIVE], labelled, 1.0);
    v->loyal = (double)L;
    v->critics = (double)(R - P);
    v->passive = (double)(P - L) + (1.0 - k) * (double)S;
}

int64_t kpi_cell_customers(int64_t served, int64_t arrivals)
{
    return served > 0 ? served : arrivals > 0 ? arrivals : 0;
}

kpi_cfrom kpi_customers_from(const kpi_counts *c)
{
    if (c->cells_served > 0) return c->cells_arrivals > 0 ? KPI_CFROM_MIXED : KPI_CFROM_SERVED;
    return c->cells_arrivals > 0 ? KPI_CFROM_ARRIVALS : KPI_CFROM_NONE;
}

const char *kpi_cfrom_name(kpi_cfrom f)
{
    switch (f) {
    case KPI_CFROM_SERVED: return "served";
    case KPI_CFROM_ARRIVALS: return "arrivals";
    case KPI_CFROM_MIXED: return "mixed";
    default: return NULL;
    }
}

/* Inverse of the standard normal CDF: Acklam's rational approximation
 * (relative error 1.15e-9), polished by one Halley step on erfc so common
 * confidences give the textbook z (0.95 -> 1.959964). */
static double norm_inv(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    const double plow = 0.02425, phigh = 1 - plow;
    double x, q, r;
    if (p < plow) {
        q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= phigh) {
        q = p - 0.5;
        r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double e = 0.5 * erfc(-x / sqrt(2)) - p;
    double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

int64_t kpi_sample_size(int64_t population, double confidence, double error)
{
    if (!(confidence > 0 && confidence < 1) || !(error > 0 && error < 1)) return -1;
    double z = norm_inv(1 - (1 - confidence) / 2);
    double n0 = z * z * 0.25 / (error * error); /* p = 0.5: the most cautious */
    double n = population > 0 ? n0 / (1 + (n0 - 1) / (double)population) : n0;
    /* Tolerate float noise so an exact integer does not round up by one. */
    int64_t out = (int64_t)ceil(n - 1e-9);
    if (population > 0 && out > population) out = population;
    return out < 1 ? 1 : out;
}

static const char *const by_names[] = {
    [KPI_BY_ALL] = "all",           [KPI_BY_EMPLOYEE] = "employee", [KPI_BY_DESK] = "desk",
    [KPI_BY_LOCATION] = "location", [KPI_BY_DAY] = "day",
};

const char *kpi_by_name(kpi_by by)
{
    if ((unsigned)by < sizeof by_names / sizeof by_names[0]) return by_names[by];
    return "?";
}

int kpi_by_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof by_names / sizeof by_names[0]; i++)
        if (strcmp(name, by_names[i]) == 0) return (int)i;
    return -1;
}
