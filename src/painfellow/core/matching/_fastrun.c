/* The usual `painfellow match run` in one pass of C: a document of single applicants
 * whose every entry is plainly valid, straight from its bytes to the RESULT bytes.
 *
 * run_plain(data: bytes) -> bytes | None
 *
 * Returns exactly what the Python path writes for such a document (without --stats):
 * the applicant-optimal stable matching by applicant-proposing deferred acceptance with
 * quotas over mutually acceptable pairs, in the canonical RESULT order. Returns None for
 * anything else, and the Python path then answers, with its messages for invalid input:
 * couples, reversions, withdrawn entries, keys it does not know, ids that are empty, not
 * printable ASCII or need escaping, string escapes, unknown or repeated ids, lists over
 * the NRMP's 300 ranks, quotas that are not plain positive integers, malformed JSON.
 * The deferred acceptance outcome does not depend on the order of proposals (McVitie &
 * Wilson 1971), so it equals the Python engine's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANKS 300
#define MAX_DIGITS 9 /* quotas up to 999,999,999 here; larger ones take the Python path */

typedef struct {
    const char *p;
    uint32_t n;
} Str;

typedef struct {
    void *data;
    size_t len, cap, size;
} Vec;

static int vec_push(Vec *v, const void *item) {
    if (v->len == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 64;
        void *grown = realloc(v->data, cap * v->size);
        if (grown == NULL) return -1;
        v->data = grown;
        v->cap = cap;
    }
    memcpy((char *)v->data + v->len * v->size, item, v->size);
    v->len++;
    return 0;
}

/* ---- parsing ------------------------------------------------------------------------- */

typedef struct {
    const char *s, *end;
    int no_memory;
    Vec prog_ids, prog_caps, prog_starts, prog_lens, prog_items;  /* Str, int32, size_t... */
    Vec app_ids, app_starts, app_lens, app_items;
} Doc;

enum { OK = 0, DECLINE = 1 };

static void skip_ws(Doc *d) {
    while (d->s < d->end && (*d->s == ' ' || *d->s == '\t' || *d->s == '\n' || *d->s == '\r'))
        d->s++;
}

static int expect(Doc *d, char c) {
    skip_ws(d);
    if (d->s >= d->end || *d->s != c) return DECLINE;
    d->s++;
    return OK;
}

static int peek(Doc *d, char c) {
    skip_ws(d);
    return d->s < d->end && *d->s == c;
}

/* After an item of an array or object: 1 when a ',' says another follows, 0 when `close`
 * ends it, -1 for anything else. */
static int another(Doc *d, char close) {
    if (peek(d, ',')) {
        d->s++;
        return 1;
    }
    return expect(d, close) ? -1 : 0;
}

/* A non-empty string of printable ASCII other than '"' and '\\' (what json's encoder
 * writes unchanged). */
static int parse_str(Doc *d, Str *out) {
    if (expect(d, '"')) return DECLINE;
    const char *start = d->s;
    while (d->s < d->end) {
        unsigned char c = (unsigned char)*d->s;
        if (c == '"') break;
        if (c < 0x20 || c > 0x7e || c == '\\') return DECLINE;
        d->s++;
    }
    if (d->s >= d->end || d->s == start || d->s - start > UINT32_MAX) return DECLINE;
    out->p = start;
    out->n = (uint32_t)(d->s - start);
    d->s++;
    return OK;
}

static int parse_word(Doc *d, const char *word) {
    size_t n = strlen(word);
    skip_ws(d);
    if ((size_t)(d->end - d->s) < n || memcmp(d->s, word, n) != 0) return DECLINE;
    d->s += n;
    return OK;
}

static int parse_quota(Doc *d, int32_t *out) {
    skip_ws(d);
    const char *start = d->s;
    if (d->s >= d->end || *d->s < '1' || *d->s > '9') return DECLINE;
    int32_t value = 0;
    while (d->s < d->end && *d->s >= '0' && *d->s <= '9') {
        if (d->s - start >= MAX_DIGITS) return DECLINE;
        value = value * 10 + (*d->s - '0');
        d->s++;
    }
    if (d->s < d->end && (*d->s == '.' || *d->s == 'e' || *d->s == 'E')) return DECLINE;
    *out = value;
    return OK;
}

static int key_is(const Str *key, const char *name) {
    return key->n == strlen(name) && memcmp(key->p, name, key->n) == 0;
}

static int parse_rank_list(Doc *d, Vec *items, size_t *len) {
    size_t before = items->len;
    if (expect(d, '[')) return DECLINE;
    if (peek(d, ']')) {
        d->s++;
        *len = 0;
        return OK;
    }
    int more = 1;
    while (more == 1) {
        Str item;
        if (parse_str(d, &item)) return DECLINE;
        if (vec_push(items, &item)) return d->no_memory = 1, DECLINE;
        if (items->len - before > MAX_RANKS) return DECLINE;
        more = another(d, ']');
    }
    if (more) return DECLINE;
    *len = items->len - before;
    return OK;
}

/* One program or applicant object; `program` decides which keys it may hold. */
static int parse_entry(Doc *d, int program) {
    Vec *items = program ? &d->prog_items : &d->app_items;
    Str id = {NULL, 0};
    int32_t quota = 0;
    size_t start = items->len, len = 0;
    int seen_id = 0, seen_quota = 0, seen_list = 0, seen_rev = 0, seen_wd = 0;
    if (expect(d, '{')) return DECLINE;
    if (peek(d, '}')) return DECLINE; /* no id */
    int more = 1;
    while (more == 1) {
        Str key;
        if (parse_str(d, &key) || expect(d, ':')) return DECLINE;
        if (key_is(&key, "id") && !seen_id) {
            seen_id = 1;
            if (parse_str(d, &id)) return DECLINE;
        } else if (key_is(&key, "rank_list") && !seen_list) {
            seen_list = 1;
            if (parse_rank_list(d, items, &len)) return DECLINE;
        } else if (key_is(&key, "withdrawn") && !seen_wd) {
            seen_wd = 1;
            if (parse_word(d, "false")) return DECLINE;
        } else if (program && key_is(&key, "capacity") && !seen_quota) {
            seen_quota = 1;
            if (parse_quota(d, &quota)) return DECLINE;
        } else if (program && key_is(&key, "reversion_to") && !seen_rev) {
            seen_rev = 1;
            if (parse_word(d, "null")) return DECLINE;
        } else {
            return DECLINE;
        }
        more = another(d, '}');
    }
    if (more || !seen_id || (program && !seen_quota)) return DECLINE;
    if (program) {
        if (vec_push(&d->prog_ids, &id) || vec_push(&d->prog_caps, &quota) ||
            vec_push(&d->prog_starts, &start) || vec_push(&d->prog_lens, &len))
            return d->no_memory = 1, DECLINE;
    } else {
        if (vec_push(&d->app_ids, &id) || vec_push(&d->app_starts, &start) ||
            vec_push(&d->app_lens, &len))
            return d->no_memory = 1, DECLINE;
    }
    return OK;
}

static int parse_entries(Doc *d, int program) {
    if (expect(d, '[')) return DECLINE;
    if (peek(d, ']')) return DECLINE; /* no programs, or no applicants: an error, or couples */
    int more = 1;
    while (more == 1) {
        if (parse_entry(d, program)) return DECLINE;
        more = another(d, ']');
    }
    return more ? DECLINE : OK;
}

static int parse_document(Doc *d) {
    int seen_programs = 0, seen_applicants = 0, seen_couples = 0;
    if (expect(d, '{')) return DECLINE;
    int more = 1;
    while (more == 1) {
        Str key;
        if (parse_str(d, &key) || expect(d, ':')) return DECLINE;
        if (key_is(&key, "programs") && !seen_programs) {
            seen_programs = 1;
            if (parse_entries(d, 1)) return DECLINE;
        } else if (key_is(&key, "applicants") && !seen_applicants) {
            seen_applicants = 1;
            if (parse_entries(d, 0)) return DECLINE;
        } else if (key_is(&key, "couples") && !seen_couples) {
            seen_couples = 1;
            if (expect(d, '[') || expect(d, ']')) return DECLINE; /* only none */
        } else {
            return DECLINE;
        }
        more = another(d, '}');
    }
    skip_ws(d);
    if (more || d->s != d->end) return DECLINE;
    return seen_programs && seen_applicants ? OK : DECLINE;
}

/* ---- ids to indexes ------------------------------------------------------------------- */

typedef struct {
    Str *keys;
    int32_t *values;
    size_t mask;
} Table;

static uint64_t hash_str(const Str *s) {
    uint64_t h = 1469598103934665603ULL;
    for (uint32_t i = 0; i < s->n; i++) {
        h ^= (unsigned char)s->p[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

/* A table of `ids` (index -> id); DECLINE when an id repeats. */
static int table_build(Table *t, const Str *ids, size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    t->keys = calloc(cap, sizeof(Str));
    t->values = malloc(cap * sizeof(int32_t));
    t->mask = cap - 1;
    if (t->keys == NULL || t->values == NULL) return -1;
    for (size_t i = 0; i < n; i++) {
        size_t slot = hash_str(&ids[i]) & t->mask;
        while (t->keys[slot].p != NULL) {
            if (t->keys[slot].n == ids[i].n && memcmp(t->keys[slot].p, ids[i].p, ids[i].n) == 0)
                return DECLINE;
            slot = (slot + 1) & t->mask;
        }
        t->keys[slot] = ids[i];
        t->values[slot] = (int32_t)i;
    }
    return OK;
}

static int32_t table_get(const Table *t, const Str *key) {
    size_t slot = hash_str(key) & t->mask;
    while (t->keys[slot].p != NULL) {
        if (t->keys[slot].n == key->n && memcmp(t->keys[slot].p, key->p, key->n) == 0)
            return t->values[slot];
        slot = (slot + 1) & t->mask;
    }
    return -1;
}

/* Each list's items as indexes; DECLINE on an unknown id or an id named twice in a list. */
static int resolve(const Table *t, const Str *items, int32_t *out, const size_t *starts,
                   const size_t *lens, size_t n_lists, int32_t *stamp) {
    for (size_t l = 0; l < n_lists; l++) {
        for (size_t k = starts[l]; k < starts[l] + lens[l]; k++) {
            int32_t x = table_get(t, &items[k]);
            if (x < 0 || stamp[x] == (int32_t)l) return DECLINE;
            stamp[x] = (int32_t)l;
            out[k] = x;
        }
    }
    return OK;
}

/* ---- deferred acceptance -------------------------------------------------------------- */

/* Program p holds the ranks of its applicants in a max-heap (worst on top). */
static void heap_push(int32_t *h, int32_t *size, int32_t rank) {
    int32_t i = (*size)++;
    while (i > 0) {
        int32_t parent = (i - 1) / 2;
        if (h[parent] >= rank) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = rank;
}

static void heap_replace_top(int32_t *h, int32_t size, int32_t rank) {
    int32_t i = 0;
    for (;;) {
        int32_t child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && h[child + 1] > h[child]) child++;
        if (h[child] <= rank) break;
        h[i] = h[child];
        i = child;
    }
    h[i] = rank;
}

/* ---- output --------------------------------------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
} Buf;

static int buf_put(Buf *b, const char *s, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n) cap *= 2;
        char *grown = realloc(b->p, cap);
        if (grown == NULL) return -1;
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

static int buf_str(Buf *b, const Str *s) {
    return buf_put(b, "\"", 1) || buf_put(b, s->p, s->n) || buf_put(b, "\"", 1);
}

static const Str *sort_ids;

/* Python's order of ASCII strings: bytewise, a prefix first. */
static int by_id(const void *x, const void *y) {
    const Str *a = &sort_ids[*(const int32_t *)x], *b = &sort_ids[*(const int32_t *)y];
    int c = memcmp(a->p, b->p, a->n < b->n ? a->n : b->n);
    return c ? c : (a->n > b->n) - (a->n < b->n);
}

static int32_t *sorted_indexes(const Str *ids, size_t n) {
    int32_t *order = malloc((n ? n : 1) * sizeof(int32_t));
    if (order == NULL) return NULL;
    for (size_t i = 0; i < n; i++) order[i] = (int32_t)i;
    sort_ids = ids; /* the GIL is held: no other thread sorts meanwhile */
    qsort(order, n, sizeof(int32_t), by_id);
    return order;
}

/* ---- the run -------------------------------------------------------------------------- */

static PyObject *run(const char *data, Py_ssize_t size) {
    Doc d = {0};
    d.s = data;
    d.end = data + size;
    d.prog_ids.size = d.app_ids.size = d.prog_items.size = d.app_items.size = sizeof(Str);
    d.prog_caps.size = sizeof(int32_t);
    d.prog_starts.size = d.prog_lens.size = d.app_starts.size = d.app_lens.size = sizeof(size_t);
    Table pt = {0}, at = {0};
    int32_t *pitems = NULL, *aitems = NULL, *stamp = NULL, *inc_start = NULL, *inc_prog = NULL,
            *inc_pos = NULL, *fill = NULL, *mark_owner = NULL, *mark_pos = NULL,
            *acc_prog = NULL, *acc_rank = NULL, *acc_start = NULL, *heap_start = NULL,
            *heap = NULL, *held = NULL, *assign = NULL, *nxt = NULL, *app_order = NULL,
            *prog_order = NULL;
    Buf out = {0};
    PyObject *result = NULL;
    int status = DECLINE;

    if (parse_document(&d) || d.prog_ids.len > INT32_MAX / 2 || d.app_ids.len > INT32_MAX / 2)
        goto done;
    size_t np = d.prog_ids.len, na = d.app_ids.len;
    const Str *pids = d.prog_ids.data, *aids = d.app_ids.data;
    const int32_t *caps = d.prog_caps.data;
    const size_t *pstart = d.prog_starts.data, *plen = d.prog_lens.data;
    const size_t *astart = d.app_starts.data, *alen = d.app_lens.data;
    size_t npi = d.prog_items.len, nai = d.app_items.len;

    status = table_build(&pt, pids, np);
    if (status == OK) status = table_build(&at, aids, na);
    if (status != OK) goto done;
    status = -1;
    size_t most = np > na ? np : na;
    pitems = malloc((npi ? npi : 1) * sizeof(int32_t));
    aitems = malloc((nai ? nai : 1) * sizeof(int32_t));
    stamp = malloc(most * sizeof(int32_t));
    if (pitems == NULL || aitems == NULL || stamp == NULL) goto done;
    for (size_t i = 0; i < most; i++) stamp[i] = -1;
    status = resolve(&at, d.prog_items.data, pitems, pstart, plen, np, stamp);
    for (size_t i = 0; i < most; i++) stamp[i] = -1;
    if (status == OK) status = resolve(&pt, d.app_items.data, aitems, astart, alen, na, stamp);
    if (status != OK) goto done;

    /* Who ranked each applicant, and at which position: lists grouped by applicant. */
    status = -1;
    inc_start = calloc(na + 1, sizeof(int32_t));
    inc_prog = malloc((npi ? npi : 1) * sizeof(int32_t));
    inc_pos = malloc((npi ? npi : 1) * sizeof(int32_t));
    fill = malloc((na ? na : 1) * sizeof(int32_t));
    if (inc_start == NULL || inc_prog == NULL || inc_pos == NULL || fill == NULL) goto done;
    for (size_t k = 0; k < npi; k++) inc_start[pitems[k] + 1]++;
    for (size_t a = 0; a < na; a++) inc_start[a + 1] += inc_start[a];
    memcpy(fill, inc_start, na * sizeof(int32_t));
    for (size_t p = 0; p < np; p++)
        for (size_t k = pstart[p]; k < pstart[p] + plen[p]; k++) {
            int32_t a = pitems[k];
            inc_prog[fill[a]] = (int32_t)p;
            inc_pos[fill[a]++] = (int32_t)(k - pstart[p]);
        }

    /* Each applicant's mutually acceptable programs, with the applicant's rank there. */
    mark_owner = malloc(np * sizeof(int32_t));
    mark_pos = malloc(np * sizeof(int32_t));
    acc_prog = malloc((nai ? nai : 1) * sizeof(int32_t));
    acc_rank = malloc((nai ? nai : 1) * sizeof(int32_t));
    acc_start = malloc((na + 1) * sizeof(int32_t));
    if (mark_owner == NULL || mark_pos == NULL || acc_prog == NULL || acc_rank == NULL ||
        acc_start == NULL)
        goto done;
    for (size_t p = 0; p < np; p++) mark_owner[p] = -1;
    int32_t kept = 0;
    for (size_t a = 0; a < na; a++) {
        for (int32_t k = inc_start[a]; k < inc_start[a + 1]; k++) {
            mark_owner[inc_prog[k]] = (int32_t)a;
            mark_pos[inc_prog[k]] = inc_pos[k];
        }
        acc_start[a] = kept;
        for (size_t k = astart[a]; k < astart[a] + alen[a]; k++) {
            int32_t p = aitems[k];
            if (mark_owner[p] == (int32_t)a) {
                acc_prog[kept] = p;
                acc_rank[kept++] = mark_pos[p];
            }
        }
    }
    acc_start[na] = kept;

    /* Heaps hold at most min(quota, list length) ranks each. */
    heap_start = malloc((np + 1) * sizeof(int32_t));
    held = calloc(np ? np : 1, sizeof(int32_t));
    assign = malloc((na ? na : 1) * sizeof(int32_t));
    nxt = malloc((na ? na : 1) * sizeof(int32_t));
    if (heap_start == NULL || held == NULL || assign == NULL || nxt == NULL) goto done;
    heap_start[0] = 0;
    for (size_t p = 0; p < np; p++) {
        size_t room = (size_t)caps[p] < plen[p] ? (size_t)caps[p] : plen[p];
        heap_start[p + 1] = heap_start[p] + (int32_t)room;
    }
    heap = malloc((heap_start[np] ? heap_start[np] : 1) * sizeof(int32_t));
    if (heap == NULL) goto done;
    for (size_t a = 0; a < na; a++) {
        assign[a] = -1;
        nxt[a] = acc_start[a];
    }
    for (size_t first = 0; first < na; first++) {
        int32_t a = (int32_t)first;
        while (a >= 0) {
            int32_t displaced = -1, i = nxt[a], stop = acc_start[a + 1];
            while (i < stop) {
                int32_t p = acc_prog[i], rank = acc_rank[i++];
                int32_t *h = heap + heap_start[p];
                if (held[p] < caps[p]) {
                    heap_push(h, &held[p], rank);
                    assign[a] = p;
                    break;
                }
                if (rank < h[0]) {
                    displaced = pitems[pstart[p] + h[0]];
                    heap_replace_top(h, held[p], rank);
                    assign[a] = p;
                    assign[displaced] = -1;
                    break;
                }
            }
            nxt[a] = i;
            a = displaced;
        }
    }

    /* The RESULT document, as json.dumps(..., separators=(",", ":")) writes it. */
    app_order = sorted_indexes(aids, na);
    prog_order = sorted_indexes(pids, np);
    if (app_order == NULL || prog_order == NULL) goto done;
    char number[16];
    int comma = 0;
    if (buf_put(&out, "{\"matches\":{", 12)) goto done;
    for (size_t i = 0; i < na; i++) {
        int32_t a = app_order[i];
        if (assign[a] < 0) continue;
        if ((comma && buf_put(&out, ",", 1)) || buf_str(&out, &aids[a]) ||
            buf_put(&out, ":", 1) || buf_str(&out, &pids[assign[a]]))
            goto done;
        comma = 1;
    }
    if (buf_put(&out, "},\"unmatched_applicants\":[", 26)) goto done;
    comma = 0;
    for (size_t i = 0; i < na; i++) {
        int32_t a = app_order[i];
        if (assign[a] >= 0) continue;
        if ((comma && buf_put(&out, ",", 1)) || buf_str(&out, &aids[a])) goto done;
        comma = 1;
    }
    if (buf_put(&out, "],\"unfilled\":{", 14)) goto done;
    comma = 0;
    for (size_t i = 0; i < np; i++) {
        int32_t p = prog_order[i];
        if (held[p] >= caps[p]) continue;
        int n = snprintf(number, sizeof number, "%d", (int)(caps[p] - held[p]));
        if ((comma && buf_put(&out, ",", 1)) || buf_str(&out, &pids[p]) ||
            buf_put(&out, ":", 1) || buf_put(&out, number, (size_t)n))
            goto done;
        comma = 1;
    }
    static const char tail[] = "},\"reverted\":{},\"withdrawn\":{\"applicants\":[],"
                               "\"programs\":[]},\"instabilities\":[]}\n";
    if (buf_put(&out, tail, sizeof tail - 1)) goto done;
    status = OK;

done:
    if (status == OK)
        result = PyBytes_FromStringAndSize(out.p, (Py_ssize_t)out.len);
    else if (status == DECLINE && !d.no_memory)
        result = Py_NewRef(Py_None);
    else
        result = PyErr_NoMemory();
    free(d.prog_ids.data), free(d.prog_caps.data), free(d.prog_starts.data);
    free(d.prog_lens.data), free(d.prog_items.data), free(d.app_ids.data);
    free(d.app_starts.data), free(d.app_lens.data), free(d.app_items.data);
    free(pt.keys), free(pt.values), free(at.keys), free(at.values);
    free(pitems), free(aitems), free(stamp), free(inc_start), free(inc_prog), free(inc_pos);
    free(fill), free(mark_owner), free(mark_pos), free(acc_prog), free(acc_rank);
    free(acc_start), free(heap_start), free(heap), free(held), free(assign), free(nxt);
    free(app_order), free(prog_order), free(out.p);
    return result;
}

static PyObject *run_plain(PyObject *module, PyObject *arg) {
    (void)module;
    if (!PyBytes_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "run_plain() takes bytes");
        return NULL;
    }
    return run(PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg));
}

static PyMethodDef methods[] = {
    {"run_plain", run_plain, METH_O,
     "RESULT bytes of `match run` for a plain document of single applicants, else None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fastrun", "`painfellow match run` for plain documents, in C.",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fastrun(void) { return PyModule_Create(&module); }
