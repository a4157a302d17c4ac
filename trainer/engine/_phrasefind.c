/* The analyzer's hot paths, compiled: trainer.engine.analyzer.PhraseIndex.find's phrase
 * search (Index.find), PhraseIndex.lookup for a word not seen before (lookup), the loop of
 * trainer.engine.text.tokenize over a folded reply (tokenize), and the model's sum for a word
 * not seen before (word_sum).
 *
 * Optional: the wheel build compiles it when a C compiler is there (hatch_build.py), and the
 * analyzer falls back to the same code in Python when it is not. Both give the same results
 * in the same order (tests/test_phrasefind.py compares them).
 *
 * An Index holds a pack's compiled phrases as flat arrays of vocabulary ids (made once, in
 * Python, and cached with the compiled pack): each phrase's word slots, each phrase's
 * remaining slots to check, and for each vocabulary id the phrases it anchors. find() takes
 * a reply's tokens and, for each token, the dict of vocabulary ids it matches with their
 * scores, and returns the candidates that verify as (phrase number, first token, last token,
 * score). The Python side then applies the question and negation rules, which need the
 * pack's settings and the token texts.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The most word slots a phrase may have here (a longer one: the Python search is used). */
#define MAX_SLOTS 64
#define N_ARRAYS 7

/* An Index: a pack's phrases as flat arrays of C ints, made by analyzer._flat_layout() (in the
 * order of FIELDS there) and checked here when loaded, so a damaged cache file gives a
 * ValueError (and the Python search), never a bad read. */
typedef struct {
    PyObject_HEAD
    int n_vocab;
    int n_phrases;
    int n_sets;
    int max_gap;
    int *pool;           /* the ids of every set, each set's in ascending order */
    int *set_start;      /* set k is pool[set_start[k] .. set_start[k+1]-1] */
    int *slot_first;     /* phrase p's word slots are sets slot_first[p] .. slot_first[p+1]-1 */
    int *check_first;    /* its other slots to check are check_sets[check_first[p] .. [p+1]-1] */
    int *check_sets;
    int *anchored_first; /* id v anchors entries anchored_first[v] .. anchored_first[v+1]-1 */
    int *anchored;       /* three ints an entry: phrase, anchor slot, need set (-1: none) */
    int *arrays[N_ARRAYS];
    Py_ssize_t lengths[N_ARRAYS];
    /* Scratch for one call: a sentence's ids, and each phrase's verdict in this sentence. */
    unsigned int stamp;
    unsigned int *present;    /* present[v] == stamp: id v is in the sentence */
    unsigned int *verdict_at; /* verdict_at[p] == stamp: verdict[p] holds for this sentence */
    unsigned char *verdict;   /* 1: every slot is in the sentence; 0: one is not */
} Index;

/* One call's tokens. */
typedef struct {
    Py_ssize_t n;
    long long *sentence;
    long long *clause;
    Py_ssize_t *hit_first;    /* token t's matches are hits hit_first[t] .. hit_first[t+1]-1 */
    int *hit_id;
    double *hit_score;
} Reply;

static void
index_free_arrays(Index *ix)
{
    for (int i = 0; i < N_ARRAYS; i++) {
        PyMem_Free(ix->arrays[i]);
        ix->arrays[i] = NULL;
        ix->lengths[i] = 0;
    }
    ix->pool = ix->set_start = ix->slot_first = ix->check_first = ix->check_sets = NULL;
    ix->anchored_first = ix->anchored = NULL;
    PyMem_Free(ix->present);
    PyMem_Free(ix->verdict_at);
    PyMem_Free(ix->verdict);
    ix->present = ix->verdict_at = NULL;
    ix->verdict = NULL;
}

static void
Index_dealloc(Index *ix)
{
    index_free_arrays(ix);
    Py_TYPE(ix)->tp_free((PyObject *)ix);
}

/* a[0..n-1] starts at 0, never decreases, and ends at last. */
static int
offsets_ok(const int *a, Py_ssize_t n, Py_ssize_t last)
{
    if (n < 1 || a[0] != 0 || a[n - 1] != last)
        return 0;
    for (Py_ssize_t i = 1; i < n; i++)
        if (a[i] < a[i - 1])
            return 0;
    return 1;
}

static int
layout_ok(const Index *ix)
{
    Py_ssize_t n_pool = ix->lengths[0], n_checks = ix->lengths[4], n_anch = ix->lengths[6];
    if (n_anch % 3)
        return 0;
    n_anch /= 3;
    if (!offsets_ok(ix->set_start, ix->n_sets + 1, n_pool)
        || !offsets_ok(ix->slot_first, ix->n_phrases + 1, ix->n_sets)
        || !offsets_ok(ix->check_first, ix->n_phrases + 1, n_checks)
        || !offsets_ok(ix->anchored_first, (Py_ssize_t)ix->n_vocab + 1, n_anch))
        return 0;
    for (int k = 0; k < ix->n_sets; k++)
        for (int i = ix->set_start[k]; i < ix->set_start[k + 1]; i++)
            if (ix->pool[i] < 0 || ix->pool[i] >= ix->n_vocab
                || (i > ix->set_start[k] && ix->pool[i] <= ix->pool[i - 1]))
                return 0;
    for (int p = 0; p < ix->n_phrases; p++)
        if (ix->slot_first[p + 1] - ix->slot_first[p] > MAX_SLOTS)
            return 0;
    for (Py_ssize_t i = 0; i < n_checks; i++)
        if (ix->check_sets[i] < 0 || ix->check_sets[i] >= ix->n_sets)
            return 0;
    for (Py_ssize_t e = 0; e < n_anch; e++) {
        int p = ix->anchored[3 * e], anchor = ix->anchored[3 * e + 1];
        int need = ix->anchored[3 * e + 2];
        if (p < 0 || p >= ix->n_phrases || anchor < 0
            || anchor >= ix->slot_first[p + 1] - ix->slot_first[p]
            || need < -1 || need >= ix->n_sets)
            return 0;
    }
    return 1;
}

/* Index(arrays, n_vocab, max_gap): arrays as analyzer._flat_layout() makes them, a tuple of
 * seven bytes-like objects of C ints. */
static int
Index_init(Index *ix, PyObject *args, PyObject *kwds)
{
    PyObject *arrays;
    int n_vocab, max_gap;
    static char *kwlist[] = {"arrays", "n_vocab", "max_gap", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!ii", kwlist, &PyTuple_Type, &arrays,
                                     &n_vocab, &max_gap))
        return -1;
    if (PyTuple_GET_SIZE(arrays) != N_ARRAYS || n_vocab < 0 || max_gap < 0) {
        PyErr_SetString(PyExc_ValueError, "not a phrase layout");
        return -1;
    }
    index_free_arrays(ix);
    for (int i = 0; i < N_ARRAYS; i++) {
        Py_buffer view;
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(arrays, i), &view, PyBUF_SIMPLE) < 0)
            goto fail;
        if (view.len % (Py_ssize_t)sizeof(int) || view.len / (Py_ssize_t)sizeof(int) > INT_MAX) {
            PyBuffer_Release(&view);
            PyErr_SetString(PyExc_ValueError, "not a phrase layout");
            goto fail;
        }
        ix->lengths[i] = view.len / (Py_ssize_t)sizeof(int);
        ix->arrays[i] = PyMem_Malloc((size_t)view.len + sizeof(int));
        if (ix->arrays[i] == NULL) {
            PyBuffer_Release(&view);
            PyErr_NoMemory();
            goto fail;
        }
        memcpy(ix->arrays[i], view.buf, (size_t)view.len);
        PyBuffer_Release(&view);
    }
    ix->pool = ix->arrays[0];
    ix->set_start = ix->arrays[1];
    ix->slot_first = ix->arrays[2];
    ix->check_first = ix->arrays[3];
    ix->check_sets = ix->arrays[4];
    ix->anchored_first = ix->arrays[5];
    ix->anchored = ix->arrays[6];
    ix->n_vocab = n_vocab;
    ix->max_gap = max_gap;
    ix->n_sets = (int)ix->lengths[1] - 1;
    ix->n_phrases = (int)ix->lengths[2] - 1;
    if (ix->n_sets < 0 || ix->n_phrases < 0 || ix->lengths[3] != ix->lengths[2]
        || ix->lengths[5] != (Py_ssize_t)n_vocab + 1 || !layout_ok(ix)) {
        PyErr_SetString(PyExc_ValueError, "not a phrase layout");
        goto fail;
    }
    ix->stamp = 0;
    ix->present = PyMem_Calloc((size_t)n_vocab + 1, sizeof(unsigned int));
    ix->verdict_at = PyMem_Calloc((size_t)ix->n_phrases + 1, sizeof(unsigned int));
    ix->verdict = PyMem_Calloc((size_t)ix->n_phrases + 1, 1);
    if (!ix->present || !ix->verdict_at || !ix->verdict) {
        PyErr_NoMemory();
        goto fail;
    }
    return 0;
fail:
    index_free_arrays(ix);
    return -1;
}

static inline int
set_has(const Index *ix, int set, int v)
{
    const int *a = ix->pool + ix->set_start[set];
    Py_ssize_t lo = 0, hi = ix->set_start[set + 1] - ix->set_start[set];
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else if (a[mid] > v)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

/* Some id of the set is in the current sentence. */
static inline int
set_present(const Index *ix, int set)
{
    const int *a = ix->pool + ix->set_start[set];
    Py_ssize_t n = ix->set_start[set + 1] - ix->set_start[set];
    unsigned int stamp = ix->stamp;
    for (Py_ssize_t i = 0; i < n; i++)
        if (ix->present[a[i]] == stamp)
            return 1;
    return 0;
}

/* analyzer._chain: match slots wants[k..] one after another beyond token `at`, in direction
 * step, each within max_gap words; the nearest match first, the next one if the rest fail.
 * Returns 1 and sets *where and *total, or 0. */
static int
chain(const Index *ix, const Reply *r, const int *wants, Py_ssize_t n_wants,
      Py_ssize_t k, Py_ssize_t at, int step, Py_ssize_t *where, double *total)
{
    int want = wants[k];
    int last = k + 1 == n_wants;
    long long sentence = r->sentence[at], clause = r->clause[at];
    Py_ssize_t nxt = at + step, stop;
    if (step == 1) {
        stop = nxt + 1 + ix->max_gap;
        if (stop > r->n)
            stop = r->n;
    }
    else {
        stop = nxt - 1 - ix->max_gap;
        if (stop < -1)
            stop = -1;
    }
    for (Py_ssize_t j = nxt; step == 1 ? j < stop : j > stop; j += step) {
        if (r->sentence[j] != sentence || (r->clause[j] != clause && j != nxt))
            return 0;
        double best = -1.0;
        for (Py_ssize_t h = r->hit_first[j]; h < r->hit_first[j + 1]; h++)
            if (r->hit_score[h] > best && set_has(ix, want, r->hit_id[h]))
                best = r->hit_score[h];
        if (best >= 0) {
            if (last) {
                *where = j;
                *total = best;
                return 1;
            }
            Py_ssize_t rest_where;
            double rest_total;
            if (chain(ix, r, wants, n_wants, k + 1, j, step, &rest_where, &rest_total)) {
                *where = rest_where;
                *total = best + rest_total;
                return 1;
            }
        }
    }
    return 0;
}

/* analyzer._verify: the phrase's other slots around its anchor at token ti. */
static int
verify(const Index *ix, const Reply *r, int p, int anchor, Py_ssize_t ti,
       Py_ssize_t *first, Py_ssize_t *last, double *score)
{
    int s0 = ix->slot_first[p], n = ix->slot_first[p + 1] - s0;
    int wants[MAX_SLOTS];
    Py_ssize_t after_where = ti, before_where;
    double after_total = 0.0, before_total;
    if (anchor + 1 < n) {
        for (int i = anchor + 1; i < n; i++)
            wants[i - anchor - 1] = s0 + i;
        if (!chain(ix, r, wants, n - anchor - 1, 0, ti, 1, &after_where, &after_total))
            return 0;
    }
    if (anchor) {
        for (int i = anchor - 1; i >= 0; i--)
            wants[anchor - 1 - i] = s0 + i;
        if (!chain(ix, r, wants, anchor, 0, ti, -1, &before_where, &before_total))
            return 0;
        *first = before_where;
        *last = after_where;
        *score = after_total + before_total;
        return 1;
    }
    *first = ti;
    *last = after_where;
    *score = after_total;
    return 1;
}

/* The candidates found, kept in C until the search is over: making Python objects may run a
 * garbage collection, and with it other Python code, which must not find the scratch arrays
 * half way through a sentence. */
typedef struct {
    int phrase;
    Py_ssize_t first, last;
    double score;
} Found;

typedef struct {
    Found *items;
    Py_ssize_t n, cap;
} FoundList;

static int
append_found(FoundList *out, int p, Py_ssize_t first, Py_ssize_t last, double score)
{
    if (out->n == out->cap) {
        Py_ssize_t cap = out->cap ? 2 * out->cap : 16;
        Found *more = PyMem_Realloc(out->items, sizeof(Found) * (size_t)cap);
        if (more == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        out->items = more;
        out->cap = cap;
    }
    Found *f = &out->items[out->n++];
    f->phrase = p;
    f->first = first;
    f->last = last;
    f->score = score;
    return 0;
}

static PyObject *
found_as_list(const FoundList *found)
{
    PyObject *out = PyList_New(found->n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < found->n; i++) {
        const Found *f = &found->items[i];
        PyObject *t = Py_BuildValue("(innd)", f->phrase, f->first, f->last, f->score);
        if (t == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, t);
    }
    return out;
}

/* Read the tokens (their sentence and clause) and each token's matches into r. */
static int
read_reply(const Index *ix, PyObject *tokens, PyObject *per_token, Reply *r)
{
    Py_ssize_t n = PyList_GET_SIZE(tokens);
    if (PyList_GET_SIZE(per_token) != n) {
        PyErr_SetString(PyExc_ValueError, "tokens and per_token differ in length");
        return -1;
    }
    Py_ssize_t n_hits = 0;
    for (Py_ssize_t t = 0; t < n; t++) {
        PyObject *d = PyList_GET_ITEM(per_token, t);
        if (!PyDict_Check(d)) {
            PyErr_SetString(PyExc_TypeError, "per_token: one dict per token");
            return -1;
        }
        n_hits += PyDict_GET_SIZE(d);
    }
    r->n = n;
    r->sentence = PyMem_Malloc(sizeof(long long) * (size_t)(n + 1));
    r->clause = PyMem_Malloc(sizeof(long long) * (size_t)(n + 1));
    r->hit_first = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    r->hit_id = PyMem_Malloc(sizeof(int) * (size_t)(n_hits + 1));
    r->hit_score = PyMem_Malloc(sizeof(double) * (size_t)(n_hits + 1));
    if (!r->sentence || !r->clause || !r->hit_first || !r->hit_id || !r->hit_score) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t h = 0;
    for (Py_ssize_t t = 0; t < n; t++) {
        PyObject *tok = PyList_GET_ITEM(tokens, t);
        if (!PyTuple_Check(tok) || PyTuple_GET_SIZE(tok) < 5) {
            PyErr_SetString(PyExc_TypeError, "tokens: Token tuples");
            return -1;
        }
        r->sentence[t] = PyLong_AsLongLong(PyTuple_GET_ITEM(tok, 3));
        r->clause[t] = PyLong_AsLongLong(PyTuple_GET_ITEM(tok, 4));
        if (PyErr_Occurred())
            return -1;
        r->hit_first[t] = h;
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(PyList_GET_ITEM(per_token, t), &pos, &key, &value)) {
            long v = PyLong_AsLong(key);
            double s = PyFloat_AsDouble(value);
            if (PyErr_Occurred())
                return -1;
            if (v < 0 || v >= ix->n_vocab) {
                PyErr_SetString(PyExc_ValueError, "per_token: an id not of this index");
                return -1;
            }
            r->hit_id[h] = (int)v;
            r->hit_score[h] = s;
            h++;
        }
    }
    r->hit_first[n] = h;
    return 0;
}

static void
free_reply(Reply *r)
{
    PyMem_Free(r->sentence);
    PyMem_Free(r->clause);
    PyMem_Free(r->hit_first);
    PyMem_Free(r->hit_id);
    PyMem_Free(r->hit_score);
}

static unsigned int
next_stamp(Index *ix)
{
    if (++ix->stamp == 0) { /* wrapped: clear, so no old stamp can match */
        memset(ix->present, 0, sizeof(unsigned int) * (size_t)(ix->n_vocab + 1));
        memset(ix->verdict_at, 0, sizeof(unsigned int) * (size_t)(ix->n_phrases + 1));
        ix->stamp = 1;
    }
    return ix->stamp;
}

/* find(tokens, per_token) -> [(phrase, first token, last token, score)] */
static PyObject *
Index_find(Index *ix, PyObject *args)
{
    PyObject *tokens, *per_token;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &tokens, &PyList_Type, &per_token))
        return NULL;
    if (ix->anchored == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Index not initialised");
        return NULL;
    }
    Reply r = {0};
    FoundList found = {0};
    PyObject *out = NULL;
    if (read_reply(ix, tokens, per_token, &r) < 0)
        goto done;
    Py_ssize_t n = r.n, end = 0;
    /* One sentence at a time: no phrase crosses a sentence end. */
    while (end < n) {
        Py_ssize_t begin = end;
        long long sentence = r.sentence[begin];
        end++;
        while (end < n && r.sentence[end] == sentence)
            end++;
        unsigned int stamp = next_stamp(ix);
        for (Py_ssize_t h = r.hit_first[begin]; h < r.hit_first[end]; h++)
            ix->present[r.hit_id[h]] = stamp;
        for (Py_ssize_t ti = begin; ti < end; ti++) {
            for (Py_ssize_t h = r.hit_first[ti]; h < r.hit_first[ti + 1]; h++) {
                int v = r.hit_id[h];
                double v_score = r.hit_score[h];
                for (int e = ix->anchored_first[v]; e < ix->anchored_first[v + 1]; e++) {
                    int p = ix->anchored[3 * e], anchor = ix->anchored[3 * e + 1];
                    int need = ix->anchored[3 * e + 2];
                    if (need < 0) {
                        if (append_found(&found, p, ti, ti, v_score) < 0)
                            goto done;
                        continue;
                    }
                    if (!set_present(ix, need))
                        continue;
                    if (ix->verdict_at[p] != stamp) {
                        unsigned char complete = 1;
                        for (int c = ix->check_first[p]; c < ix->check_first[p + 1]; c++)
                            if (!set_present(ix, ix->check_sets[c])) {
                                complete = 0;
                                break;
                            }
                        ix->verdict[p] = complete;
                        ix->verdict_at[p] = stamp;
                    }
                    if (!ix->verdict[p])
                        continue;
                    Py_ssize_t first, last;
                    double score;
                    if (!verify(ix, &r, p, anchor, ti, &first, &last, &score))
                        continue;
                    int n_slots = ix->slot_first[p + 1] - ix->slot_first[p];
                    if (append_found(&found, p, first, last,
                                     (score + v_score) / (double)n_slots) < 0)
                        goto done;
                }
            }
        }
    }
    out = found_as_list(&found);
done:
    PyMem_Free(found.items);
    free_reply(&r);
    return out;
}

static PyMethodDef Index_methods[] = {
    {"find", (PyCFunction)Index_find, METH_VARARGS,
     "find(tokens, per_token) -> [(phrase, first, last, score)]: the candidates that verify."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject IndexType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "trainer.engine._phrasefind.Index",
    .tp_basicsize = sizeof(Index),
    .tp_dealloc = (destructor)Index_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A pack's compiled phrases as flat arrays, for find().",
    .tp_methods = Index_methods,
    .tp_init = (initproc)Index_init,
    .tp_new = PyType_GenericNew,
};


/* ---- A reply word's vocabulary ids: analyzer.PhraseIndex.lookup, for a word not seen yet ---- */

#define OSA_STACK 64

/* The OSA distance of a[0..n-1] and b (insert, delete, substitute, swap two adjacent letters;
 * no letter edited twice), as rapidfuzz.distance.OSA.distance gives it, or k + 1 when it is
 * more than k. Only cells within k of the diagonal can stay within k; a row whose cells are
 * all over k ends it (a swap reaches back two rows, but only from a cell of at least k). */
static Py_ssize_t
osa_within(const Py_UCS4 *a, Py_ssize_t n, PyObject *b, Py_ssize_t k, Py_ssize_t *rows)
{
    int kind = PyUnicode_KIND(b);
    const void *data = PyUnicode_DATA(b);
    Py_ssize_t m = PyUnicode_GET_LENGTH(b);
    Py_ssize_t big = k + 1, *prev2 = rows, *prev = rows + (m + 1), *cur = rows + 2 * (m + 1);
    if (m - n > k || n - m > k)
        return big;
    for (Py_ssize_t j = 0; j <= m; j++) {
        prev[j] = j < big ? j : big;
        prev2[j] = big;
    }
    for (Py_ssize_t i = 1; i <= n; i++) {
        Py_ssize_t jlo = i - k > 1 ? i - k : 1, jhi = i + k < m ? i + k : m;
        Py_ssize_t low = i < big ? i : big;
        for (Py_ssize_t j = 0; j <= m; j++)
            cur[j] = big;
        cur[0] = low;
        for (Py_ssize_t j = jlo; j <= jhi; j++) {
            Py_UCS4 bj = PyUnicode_READ(kind, data, j - 1);
            Py_ssize_t v = prev[j - 1] + (a[i - 1] != bj);
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == PyUnicode_READ(kind, data, j - 2)
                && a[i - 2] == bj && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            if (v > big)
                v = big;
            cur[j] = v;
            if (v < low)
                low = v;
        }
        if (low > k)
            return big;
        Py_ssize_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

/* found[id] = score for every id of a sequence (the exact words and prefixes: 100). */
static int
set_all(PyObject *found, PyObject *ids, PyObject *score)
{
    if (ids == NULL)
        return PyErr_Occurred() ? -1 : 0;
    PyObject *fast = PySequence_Fast(ids, "ids must be a sequence");
    if (fast == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++)
        if (PyDict_SetItem(found, PySequence_Fast_GET_ITEM(fast, i), score) < 0) {
            Py_DECREF(fast);
            return -1;
        }
    Py_DECREF(fast);
    return 0;
}

/* found[id] = 100 * (1 - d / longest), unless the id is there already. */
static int
set_near(PyObject *found, PyObject *id, Py_ssize_t d, Py_ssize_t longest)
{
    int has = PyDict_Contains(found, id);
    if (has != 0)
        return has < 0 ? -1 : 0;
    PyObject *score = PyFloat_FromDouble(100.0 * (1 - (double)d / (double)longest));
    if (score == NULL)
        return -1;
    int rc = PyDict_SetItem(found, id, score);
    Py_DECREF(score);
    return rc;
}

static int
is_words(PyObject *t)
{
    return PyTuple_Check(t) && PyTuple_GET_SIZE(t) >= 2 && PyTuple_Check(PyTuple_GET_ITEM(t, 0))
        && PyTuple_Check(PyTuple_GET_ITEM(t, 1))
        && PyTuple_GET_SIZE(PyTuple_GET_ITEM(t, 0)) <= PyTuple_GET_SIZE(PyTuple_GET_ITEM(t, 1));
}

/* lookup(word, exact, prefixes, prefix_lengths, letters, prefix_buckets) -> {id: score}:
 * exactly what PhraseIndex.lookup computes for a word (see there for the rules), with the
 * tables it reads. */
static PyObject *
lookup(PyObject *self, PyObject *args)
{
    PyObject *word, *exact, *prefixes, *prefix_lengths, *letters, *prefix_buckets;
    (void)self;
    if (!PyArg_ParseTuple(args, "UO!O!O!O!O!", &word, &PyDict_Type, &exact, &PyDict_Type,
                          &prefixes, &PyList_Type, &prefix_lengths, &PyDict_Type, &letters,
                          &PyDict_Type, &prefix_buckets))
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    Py_UCS4 *a = NULL;
    Py_ssize_t stack[3 * (OSA_STACK + 1)], *rows = stack;
    PyObject *found = PyDict_New(), *hundred = PyFloat_FromDouble(100.0), *first = NULL;
    if (found == NULL || hundred == NULL)
        goto error;
    if (set_all(found, PyDict_GetItemWithError(exact, word), hundred) < 0)
        goto error;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(prefix_lengths); i++) {
        PyObject *length = PyList_GET_ITEM(prefix_lengths, i);
        Py_ssize_t len = PyLong_AsSsize_t(length);
        if (len == -1 && PyErr_Occurred())
            goto error;
        if (len > n)
            break;
        PyObject *table = PyDict_GetItemWithError(prefixes, length);
        if (table == NULL) {
            if (PyErr_Occurred())
                goto error;
            continue;
        }
        if (!PyDict_Check(table) || len < 0) {
            PyErr_SetString(PyExc_TypeError, "prefixes: dicts by length");
            goto error;
        }
        PyObject *head = PyUnicode_Substring(word, 0, len);
        if (head == NULL)
            goto error;
        int rc = set_all(found, PyDict_GetItemWithError(table, head), hundred);
        Py_DECREF(head);
        if (rc < 0)
            goto error;
    }
    if (n < 5 || !Py_UNICODE_ISALPHA(PyUnicode_READ_CHAR(word, 0)))
        goto done;
    a = PyUnicode_AsUCS4Copy(word);
    first = PyUnicode_Substring(word, 0, 1);
    if (a == NULL || first == NULL)
        goto error;
    /* A long word gets rows of its own (bucket words are within two letters of its length). */
    if (n + 2 > OSA_STACK) {
        rows = PyMem_Malloc(sizeof(Py_ssize_t) * 3 * (size_t)(n + 3));
        if (rows == NULL) {
            PyErr_NoMemory();
            goto error;
        }
    }
    PyObject *letter = PyDict_GetItemWithError(letters, first);
    if (letter == NULL && PyErr_Occurred())
        goto error;
    if (letter != NULL) {
        if (!is_words(letter) || PyTuple_GET_SIZE(letter) != 3
            || !PyTuple_Check(PyTuple_GET_ITEM(letter, 2))) {
            PyErr_SetString(PyExc_TypeError, "letters: (words, ids, starts) tuples");
            goto error;
        }
        PyObject *words = PyTuple_GET_ITEM(letter, 0), *ids = PyTuple_GET_ITEM(letter, 1);
        PyObject *starts = PyTuple_GET_ITEM(letter, 2);
        Py_ssize_t k = n < 9 ? 1 : 2, top = PyTuple_GET_SIZE(starts) - 1;
        if (top < 0) {
            PyErr_SetString(PyExc_ValueError, "letters: empty starts");
            goto error;
        }
        Py_ssize_t at_lo = n < 7 ? n : n - k, at_hi = n < 7 ? n + 1 : n + k + 1;
        Py_ssize_t lo = PyLong_AsSsize_t(PyTuple_GET_ITEM(starts, at_lo < top ? at_lo : top));
        Py_ssize_t hi = PyLong_AsSsize_t(PyTuple_GET_ITEM(starts, at_hi < top ? at_hi : top));
        if (PyErr_Occurred())
            goto error;
        if (lo < 0)
            lo = 0;
        if (hi > PyTuple_GET_SIZE(words))
            hi = PyTuple_GET_SIZE(words);
        for (Py_ssize_t i = lo; i < hi; i++) {
            PyObject *cand = PyTuple_GET_ITEM(words, i);
            if (!PyUnicode_Check(cand)) {
                PyErr_SetString(PyExc_TypeError, "letters: words must be strings");
                goto error;
            }
            Py_ssize_t m = PyUnicode_GET_LENGTH(cand);
            Py_ssize_t d = osa_within(a, n, cand, k, rows);
            if (d > k)
                continue;
            Py_ssize_t shorter = n < m ? n : m;
            if ((shorter < 7 && n != m) || (shorter < 9 && d > 1))
                continue;
            if (set_near(found, PyTuple_GET_ITEM(ids, i), d, n > m ? n : m) < 0)
                goto error;
        }
    }
    /* Prefixes of 8 letters or more tolerate one typo. */
    for (Py_ssize_t len = 8; len <= n; len++) {
        PyObject *key = Py_BuildValue("(On)", first, len);
        if (key == NULL)
            goto error;
        PyObject *bucket = PyDict_GetItemWithError(prefix_buckets, key);
        Py_DECREF(key);
        if (bucket == NULL) {
            if (PyErr_Occurred())
                goto error;
            continue;
        }
        if (!is_words(bucket)) {
            PyErr_SetString(PyExc_TypeError, "prefix_buckets: (words, ids) tuples");
            goto error;
        }
        PyObject *words = PyTuple_GET_ITEM(bucket, 0), *ids = PyTuple_GET_ITEM(bucket, 1);
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(words); i++) {
            PyObject *cand = PyTuple_GET_ITEM(words, i);
            if (!PyUnicode_Check(cand)) {
                PyErr_SetString(PyExc_TypeError, "prefix_buckets: words must be strings");
                goto error;
            }
            Py_ssize_t d = osa_within(a, len, cand, 1, rows);
            if (d <= 1 && set_near(found, PyTuple_GET_ITEM(ids, i), d, len) < 0)
                goto error;
        }
    }
    goto done;
error:
    Py_CLEAR(found);
done:
    if (rows != stack)
        PyMem_Free(rows);
    PyMem_Free(a);
    Py_XDECREF(first);
    Py_XDECREF(hundred);
    return found;
}

/* ---- A reply's words: trainer.engine.text.tokenize, after folding ---- */

/* The character classes of text.py's _PIECES regex: Unicode ones, or re.ASCII's when the
 * folded text is ASCII (where \s leaves out \x1c-\x1f, which Unicode counts as spaces). */
static inline int
tok_space(Py_UCS4 c, int ascii)
{
    if (ascii)
        return c == ' ' || (c >= '\t' && c <= '\r');
    return Py_UNICODE_ISSPACE(c);
}

/* [^\W_]: a word character that is not "_" (both in re's Unicode and ASCII modes). */
static inline int
tok_alnum(Py_UCS4 c)
{
    return c != '_' && Py_UNICODE_ISALNUM(c);
}

/* The offset in text as typed of folded offset i (offsets None: the same). */
static int
tok_offset(PyObject *offsets, Py_ssize_t i, Py_ssize_t *out)
{
    if (offsets == Py_None) {
        *out = i;
        return 0;
    }
    if (i < 0 || i >= PyList_GET_SIZE(offsets)) {
        PyErr_SetString(PyExc_ValueError, "offsets shorter than the folded text");
        return -1;
    }
    *out = PyLong_AsSsize_t(PyList_GET_ITEM(offsets, i));
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* A new Token (a tuple subclass) from its six items; steals the references. */
static PyObject *
tok_new(PyTypeObject *type, PyObject *items[6])
{
    PyObject *t = type->tp_alloc(type, 6);
    if (t == NULL) {
        for (int i = 0; i < 6; i++)
            Py_XDECREF(items[i]);
        return NULL;
    }
    for (int i = 0; i < 6; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
}

/* Call f(args...) and return its truth, or -1 on an error. */
static int
tok_ask(PyObject *f, PyObject *args)
{
    if (args == NULL)
        return -1;
    PyObject *r = PyObject_Call(f, args, NULL);
    Py_DECREF(args);
    if (r == NULL)
        return -1;
    int truth = PyObject_IsTrue(r);
    Py_DECREF(r);
    return truth;
}

/* tokenize(folded, text, offsets, ascii, Token, abbreviation, lower_next) -> [Token]: what
 * text.tokenize's loop over _PIECES computes (see there for the rules), with its two rare
 * questions (is this full stop an abbreviation's; does a lower-case letter follow "...")
 * asked of the same Python functions. */
static PyObject *
tokenize(PyObject *self, PyObject *args)
{
    PyObject *folded, *text, *offsets, *abbreviation, *lower_next;
    PyTypeObject *type;
    int ascii;
    (void)self;
    if (!PyArg_ParseTuple(args, "UUOpO!OO", &folded, &text, &offsets, &ascii, &PyType_Type,
                          &type, &abbreviation, &lower_next))
        return NULL;
    if (offsets != Py_None && !PyList_Check(offsets)) {
        PyErr_SetString(PyExc_TypeError, "offsets must be a list or None");
        return NULL;
    }
    if (!PyType_IsSubtype(type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Token must be a tuple type");
        return NULL;
    }
    int kind = PyUnicode_KIND(folded);
    const void *data = PyUnicode_DATA(folded);
    Py_ssize_t n = PyUnicode_GET_LENGTH(folded);
    if (ascii && !PyUnicode_IS_ASCII(folded))
        ascii = 0;
    PyObject *tokens = PyList_New(0);
    if (tokens == NULL)
        return NULL;
    long long sentence = 0, clause = 0;
    Py_ssize_t word_end = -1, p = 0, sentence_first = 0;
    while (p < n) {
        Py_ssize_t s = p;
        while (p < n && PyUnicode_READ(kind, data, p) != '\n'
               && tok_space(PyUnicode_READ(kind, data, p), ascii))
            p++;
        int spaced = p > s;
        if (p >= n)
            break; /* trailing spaces: nothing more */
        Py_UCS4 c = PyUnicode_READ(kind, data, p);
        if (tok_alnum(c)) {
            Py_ssize_t a = p++;
            for (;;) {
                while (p < n && tok_alnum(PyUnicode_READ(kind, data, p)))
                    p++;
                if (p + 1 < n && PyUnicode_READ(kind, data, p) == '\''
                    && tok_alnum(PyUnicode_READ(kind, data, p + 1)))
                    p += 2;
                else
                    break;
            }
            word_end = p;
            Py_ssize_t start, end;
            if (tok_offset(offsets, a, &start) < 0 || tok_offset(offsets, p - 1, &end) < 0)
                goto error;
            PyObject *items[6] = {
                PyUnicode_Substring(folded, a, p), PyLong_FromSsize_t(start),
                PyLong_FromSsize_t(end + 1), PyLong_FromLongLong(sentence),
                PyLong_FromLongLong(clause + sentence * 100000), Py_NewRef(Py_False)};
            if (!items[0] || !items[1] || !items[2] || !items[3] || !items[4]) {
                for (int i = 0; i < 6; i++)
                    Py_XDECREF(items[i]);
                goto error;
            }
            PyObject *token = tok_new(type, items);
            if (token == NULL)
                goto error;
            int rc = PyList_Append(tokens, token);
            Py_DECREF(token);
            if (rc < 0)
                goto error;
        }
        else if (c == '.' || c == '!' || c == '?' || c == '\n') {
            Py_ssize_t at = p;
            int dots = 1, asked = 0;
            for (; p < n; p++) {
                Py_UCS4 e = PyUnicode_READ(kind, data, p);
                if (e != '.' && e != '!' && e != '?' && e != '\n')
                    break;
                dots &= e == '.';
                asked |= e == '?';
            }
            if (dots && p - at == 1 && at == word_end) {
                PyObject *last = PyList_GET_ITEM(tokens, PyList_GET_SIZE(tokens) - 1);
                int yes = tok_ask(abbreviation, Py_BuildValue(
                    "(OOnOO)", PyTuple_GET_ITEM(last, 0), folded, p, text, offsets));
                if (yes < 0)
                    goto error;
                if (yes)
                    continue; /* "pga. vejret", "f.eks.", "ca. 3 dage": not a sentence end */
            }
            if (dots && p - at > 1) {
                int yes = tok_ask(lower_next, Py_BuildValue("(OnOO)", folded, p, text,
                                                            offsets));
                if (yes < 0)
                    goto error;
                if (yes) {
                    clause++; /* "tack för ditt tålamod... eller brist på det": a pause */
                    continue;
                }
            }
            if (asked) {
                /* Every word of this sentence stands in a question. */
                for (Py_ssize_t i = sentence_first; i < PyList_GET_SIZE(tokens); i++) {
                    PyObject *t = PyList_GET_ITEM(tokens, i);
                    Py_SETREF(((PyTupleObject *)t)->ob_item[5], Py_NewRef(Py_True));
                }
            }
            sentence++;
            sentence_first = PyList_GET_SIZE(tokens);
        }
        else {
            p++; /* a clause mark or any other character: one character either way */
            int mark = c == ',' || c == ';' || c == ':' || c == 0x2013 || c == 0x2014
                || c == '(' || c == ')'
                || (c == '-' && p < n && tok_space(PyUnicode_READ(kind, data, p), ascii));
            if (mark && (spaced || c != '-')) /* a hyphen ends a clause only after a space */
                clause++;
        }
    }
    return tokens;
error:
    Py_DECREF(tokens);
    return NULL;
}

/* ---- A word's packed model sum: trainer.engine.model._WordSums, for a word not seen yet ---- */

/* word_sum(word, char, words, sizes) -> int: the sum of char[g] over the word's distinct letter
 * n-grams g (of each size in sizes, with a space at each end of the word; a gram not in char
 * adds 0) plus words.get(word, 0): what model._WordSums computes in Python. */
static PyObject *
word_sum(PyObject *self, PyObject *args)
{
    PyObject *word, *chars, *words, *sizes;
    (void)self;
    if (!PyArg_ParseTuple(args, "UO!O!O!", &word, &PyDict_Type, &chars, &PyDict_Type, &words,
                          &PyTuple_Type, &sizes))
        return NULL;
    PyObject *padded = PyUnicode_FromFormat(" %U ", word);
    PyObject *seen = PySet_New(NULL);
    PyObject *total = PyLong_FromLong(0);
    if (padded == NULL || seen == NULL || total == NULL)
        goto error;
    Py_ssize_t n = PyUnicode_GET_LENGTH(padded);
    for (Py_ssize_t s = 0; s < PyTuple_GET_SIZE(sizes); s++) {
        Py_ssize_t k = PyLong_AsSsize_t(PyTuple_GET_ITEM(sizes, s));
        if (k == -1 && PyErr_Occurred())
            goto error;
        if (k <= 0) {
            PyErr_SetString(PyExc_ValueError, "gram sizes must be positive");
            goto error;
        }
        for (Py_ssize_t i = 0; i + k <= n; i++) {
            PyObject *gram = PyUnicode_Substring(padded, i, i + k);
            if (gram == NULL)
                goto error;
            int fresh = !PySet_Contains(seen, gram) && PySet_Add(seen, gram) == 0;
            if (PyErr_Occurred()) {
                Py_DECREF(gram);
                goto error;
            }
            PyObject *value = fresh ? PyDict_GetItemWithError(chars, gram) : NULL;
            Py_DECREF(gram);
            if (value == NULL) {
                if (PyErr_Occurred())
                    goto error;
                continue;
            }
            Py_SETREF(total, PyNumber_Add(total, value));
            if (total == NULL)
                goto error;
        }
    }
    PyObject *own = PyDict_GetItemWithError(words, word);
    if (own == NULL && PyErr_Occurred())
        goto error;
    if (own != NULL) {
        Py_SETREF(total, PyNumber_Add(total, own));
        if (total == NULL)
            goto error;
    }
    Py_DECREF(padded);
    Py_DECREF(seen);
    return total;
error:
    Py_XDECREF(padded);
    Py_XDECREF(seen);
    Py_XDECREF(total);
    return NULL;
}

static PyMethodDef module_methods[] = {
    {"lookup", lookup, METH_VARARGS,
     "lookup(word, exact, prefixes, prefix_lengths, letters, prefix_buckets) -> {id: score}."},
    {"tokenize", tokenize, METH_VARARGS,
     "tokenize(folded, text, offsets, ascii, Token, abbreviation, lower_next) -> [Token]."},
    {"word_sum", word_sum, METH_VARARGS,
     "word_sum(word, char, words, sizes) -> int: a word's packed model sum."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "trainer.engine._phrasefind",
    .m_doc = "The analyzer's phrase search, word look-up and tokenizer, compiled (optional; "
             "see native.py).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__phrasefind(void)
{
    if (PyType_Ready(&IndexType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&IndexType);
    if (PyModule_AddObject(m, "Index", (PyObject *)&IndexType) < 0) {
        Py_DECREF(&IndexType);
        Py_DECREF(m);
        return NULL;
    }
#ifndef SOURCE_SHA256
#define SOURCE_SHA256 ""
#endif
    /* The build hook passes the SHA-256 of this file: a source checkout can tell a stale build. */
    if (PyModule_AddStringConstant(m, "SOURCE_SHA256", SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
