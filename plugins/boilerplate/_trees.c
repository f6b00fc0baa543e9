/* The tree walk of model.TreeEnsemble, compiled: the same comparisons and the same
 * summation order as the numpy walk there (its fallback), so both give the same bits;
 * the stop-word counts of the block features (features._python_stop_counts, the same
 * whole numbers; see "stop words" below), their character counts and flags
 * (features._python_char_columns; see "characters"), a page's words
 * (features._python_page_words) and their key columns (features._python_key_columns; see
 * "words"), and the text features' matrix (features._python_text_columns; see "text
 * columns" at the end).
 *
 *     forest = Forest(root, feature, threshold, left, right, value)
 *     forest.sums(X, bounds, out)
 *     stop_counts(token_lists, lists_of, n_lists, stop_count, n_tokens)
 *     char_columns(texts, counts, words, caps, flags)
 *     page_words(texts, lists_of, n_lists, stop_count, n_tokens) -> (token_lists, keys)
 *     key_columns(token_lists, keys, lexicon, firsts, max_words, line, prefix, ids) -> left
 *     text_columns(counts, words, caps, flags, stop_count, n_tokens, line, prefix, ids, X,
 *                  config)
 *
 * root, feature, left, right and bounds are int64 arrays, threshold, value, X and out
 * float64 ones (C-contiguous; only the buffer protocol is used, so building this needs
 * no numpy headers). A row goes left at a node when x[feature] <= threshold (so a NaN
 * goes right); a leaf has left == -1. The trees bounds[g] .. bounds[g+1] - 1 make group
 * g, and out[row, g] is the sum of the values of the leaves the row reaches in them,
 * added in tree order starting from the first tree's value.
 *
 * Forest checks the trees once (every node in range, each reached from one root only,
 * a feature number for every split), so the walk itself needs no checks: a model file
 * out of shape is a ValueError, never a read outside the arrays.
 *
 * Speed: a walk is a chain of dependent loads (node, then its feature's value, then the
 * child), so sixteen rows are walked side by side through the same tree, their chains
 * overlapping in the CPU. As in the numpy walk, a leaf leads to itself, so every row
 * takes the tree's depth in steps and the sixteen walks keep in step with no branches.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include "_log_of.h"

#define TILE 16   /* (sixteen: 8% faster than eight on wcxb-dev pages; the sums are the same) */

typedef struct {
    double threshold;
    int32_t feature;
    int32_t child[2]; /* [right, left]: the comparison's result picks one */
} Node;

typedef struct {
    PyObject_HEAD
    Node *nodes;
    double *value;
    int32_t *root;
    int32_t *depth;
    Py_ssize_t trees, n_nodes;
    int64_t width_needed; /* the highest feature number a split reads, plus one (a leaf's
                           * step reads column 0, but only in a tree that splits) */
} Forest;

static int
get_array(PyObject *obj, Py_buffer *view, char kind, int writable, const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0)
        return -1;
    const char *format = view->format ? view->format : "B";
    if (*format == '<' || *format == '=' || *format == '@')
        format++;
    int ok = view->itemsize == 8 && strlen(format) == 1
             && (kind == 'd' ? *format == 'd' : (*format == 'q' || *format == 'l'));
    if (!ok) {
        PyErr_Format(PyExc_TypeError, "%s must be a contiguous array of %s", name,
                     kind == 'd' ? "float64" : "int64");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static void
forest_dealloc(Forest *self)
{
    PyMem_Free(self->nodes);
    PyMem_Free(self->value);
    PyMem_Free(self->root);
    PyMem_Free(self->depth);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Fill self from the arrays; NULL on success, else what is wrong with them. */
static const char *
build(Forest *self, const int64_t *root, const int64_t *feature, const double *threshold,
      const int64_t *left, const int64_t *right, const double *value)
{
    Py_ssize_t n = self->n_nodes;
    if (n >= INT32_MAX)
        return "too many nodes";
    self->nodes = PyMem_Calloc(n ? n : 1, sizeof(Node));
    self->value = PyMem_Calloc(n ? n : 1, sizeof(double));
    self->root = PyMem_Calloc(self->trees ? self->trees : 1, sizeof(int32_t));
    self->depth = PyMem_Calloc(self->trees ? self->trees : 1, sizeof(int32_t));
    int32_t *stack = PyMem_Calloc(2 * n + 2, sizeof(int32_t)); /* two per node popped */
    int32_t *level = PyMem_Calloc(n ? n : 1, sizeof(int32_t));
    char *seen = PyMem_Calloc(n ? n : 1, 1);
    const char *error = NULL;
    if (!self->nodes || !self->value || !self->root || !self->depth || !stack || !level
        || !seen) {
        error = "out of memory";
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int leaf = left[i] < 0;
        if (!leaf && (left[i] >= n || right[i] < 0 || right[i] >= n)) {
            error = "a node's child is out of range";
            goto done;
        }
        if (!leaf && (feature[i] < 0 || feature[i] >= INT32_MAX)) {
            error = "a node reads a feature out of range";
            goto done;
        }
        Node *node = &self->nodes[i];
        node->threshold = leaf ? 0.0 : threshold[i];
        node->feature = leaf ? 0 : (int32_t)feature[i];
        node->child[0] = (int32_t)(leaf ? i : right[i]);
        node->child[1] = (int32_t)(leaf ? i : left[i]);
        self->value[i] = value[i];
        if (!leaf && feature[i] + 1 > self->width_needed)
            self->width_needed = feature[i] + 1;
    }
    for (Py_ssize_t t = 0; t < self->trees; t++) {
        if (root[t] < 0 || root[t] >= n) {
            error = "a tree's root is out of range";
            goto done;
        }
        self->root[t] = (int32_t)root[t];
        Py_ssize_t top = 0;
        int32_t deepest = 0;
        stack[top++] = (int32_t)root[t];
        level[root[t]] = 0;
        while (top) {
            int32_t i = stack[--top];
            if (seen[i]) {
                error = "a node is reached twice (the trees share nodes or hold a cycle)";
                goto done;
            }
            seen[i] = 1;
            if (level[i] > deepest)
                deepest = level[i];
            if (left[i] >= 0) {
                for (int side = 0; side < 2; side++) {
                    int32_t c = self->nodes[i].child[side];
                    level[c] = level[i] + 1;
                    stack[top++] = c;
                }
            }
        }
        self->depth[t] = deepest;
    }
done:
    PyMem_Free(stack);
    PyMem_Free(level);
    PyMem_Free(seen);
    return error;
}

static PyObject *
forest_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *objs[6];
    static char *keywords[] = {"root", "feature", "threshold", "left", "right", "value", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOO:Forest", keywords, &objs[0],
                                     &objs[1], &objs[2], &objs[3], &objs[4], &objs[5]))
        return NULL;
    static const char kinds[] = "qqdqqd";
    Py_buffer views[6];
    int got = 0;
    Forest *self = NULL;
    for (; got < 6; got++)
        if (get_array(objs[got], &views[got], kinds[got], 0, keywords[got]) < 0)
            goto done;
    Py_ssize_t n = views[1].len / 8;
    for (int i = 2; i < 6; i++)
        if (views[i].len / 8 != n) {
            PyErr_SetString(PyExc_ValueError, "the node arrays differ in length");
            goto done;
        }
    self = (Forest *)type->tp_alloc(type, 0);
    if (!self)
        goto done;
    self->trees = views[0].len / 8;
    self->n_nodes = n;
    const char *error = build(self, views[0].buf, views[1].buf, views[2].buf, views[3].buf,
                              views[4].buf, views[5].buf);
    if (error) {
        PyErr_Format(PyExc_ValueError, "bad model trees: %s", error);
        Py_CLEAR(self);
    }
done:
    while (got-- > 0)
        PyBuffer_Release(&views[got]);
    return (PyObject *)self;
}

static void
walk(const Forest *f, const double *X, Py_ssize_t rows, Py_ssize_t width,
     const int64_t *bounds, Py_ssize_t groups, double *out)
{
    const Node *nodes = f->nodes;
    for (Py_ssize_t r0 = 0; r0 < rows; r0 += TILE) {
        Py_ssize_t m = rows - r0 < TILE ? rows - r0 : TILE;
        const double *x[TILE];
        for (int k = 0; k < TILE; k++) /* a short tile repeats its last row */
            x[k] = X + (r0 + (k < m ? k : m - 1)) * width;
        for (Py_ssize_t g = 0; g < groups; g++) {
            double sum[TILE] = {0};
            for (int64_t t = bounds[g]; t < bounds[g + 1]; t++) {
                int32_t at[TILE];
                for (int k = 0; k < TILE; k++)
                    at[k] = f->root[t];
                for (int32_t step = 0; step < f->depth[t]; step++)
                    for (int k = 0; k < TILE; k++) {
                        const Node *node = &nodes[at[k]];
                        at[k] = node->child[x[k][node->feature] <= node->threshold];
                    }
                /* the first tree's value as it is, then each next one added */
                for (int k = 0; k < TILE; k++)
                    sum[k] = t == bounds[g] ? f->value[at[k]] : sum[k] + f->value[at[k]];
            }
            for (Py_ssize_t k = 0; k < m; k++)
                out[(r0 + k) * groups + g] = sum[k];
        }
    }
}

static PyObject *
forest_sums(Forest *self, PyObject *args)
{
    PyObject *objs[3];
    if (!PyArg_ParseTuple(args, "OOO:sums", &objs[0], &objs[1], &objs[2]))
        return NULL;
    static const char kinds[] = "dqd";
    static const char *names[] = {"X", "bounds", "out"};
    Py_buffer views[3];
    int got = 0;
    PyObject *result = NULL;
    for (; got < 3; got++)
        if (get_array(objs[got], &views[got], kinds[got], got == 2, names[got]) < 0)
            goto done;
    if (views[0].ndim != 2) {
        PyErr_SetString(PyExc_ValueError, "X must have two dimensions (rows, features)");
        goto done;
    }
    Py_ssize_t rows = views[0].shape[0], width = views[0].shape[1];
    Py_ssize_t groups = views[1].len / 8 - 1;
    const int64_t *bounds = views[1].buf;
    if (width < self->width_needed) {
        PyErr_Format(PyExc_ValueError, "the trees read %lld features, X has %zd",
                     (long long)self->width_needed, width);
        goto done;
    }
    if (groups < 0 || views[2].len / 8 != rows * groups) {
        PyErr_SetString(PyExc_ValueError, "out must hold one value per row and group");
        goto done;
    }
    for (Py_ssize_t g = 0; g < groups; g++)
        if (bounds[g] < 0 || bounds[g] > bounds[g + 1] || bounds[g + 1] > self->trees) {
            PyErr_SetString(PyExc_ValueError, "the groups' bounds are out of order or range");
            goto done;
        }
    Py_BEGIN_ALLOW_THREADS
    walk(self, views[0].buf, rows, width, bounds, groups, views[2].buf);
    Py_END_ALLOW_THREADS
    result = Py_NewRef(Py_None);
done:
    while (got-- > 0)
        PyBuffer_Release(&views[got]);
    return result;
}

static PyMethodDef forest_methods[] = {
    {"sums", (PyCFunction)forest_sums, METH_VARARGS,
     "sums(X, bounds, out): the leaf values each row of X reaches, summed per group of "
     "trees (bounds[g] to bounds[g+1] - 1, in tree order) into out[row, g]."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ForestType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "clean_corpus_plugins.boilerplate._trees.Forest",
    .tp_doc = "Forest(root, feature, threshold, left, right, value): trees in flat arrays, "
              "checked once, walked by sums().",
    .tp_basicsize = sizeof(Forest),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = forest_new,
    .tp_dealloc = (destructor)forest_dealloc,
    .tp_methods = forest_methods,
};

/* ------------------------------------------------------------------ stop words */
/* features._python_stop_counts: each token's stop-word lists as bits (``lists_of``, a
 * dict of str to int, 0 for a token in none), the page's language the list holding most
 * of its tokens (the first on a tie; none when no token is in one), and for each block
 * its tokens in that list and its tokens, as float64, into stop_count and n_tokens. All
 * whole numbers: the same values however they are summed. */
static int
float_vector(PyObject *array, Py_buffer *view, Py_ssize_t n, const char *name)
{
    if (get_array(array, view, 'd', 1, name) < 0)
        return -1;
    if (view->ndim != 1 || view->shape[0] != n) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_ValueError, "%s must hold a value a block", name);
        return -1;
    }
    return 0;
}

/* The page's list (the first with the most hits, none without a hit) and each block's
 * tokens in it, from every token's lists as bits (``total`` of them, in page order) and
 * each block's tokens. */
static void
count_stops(const int64_t *bits, Py_ssize_t total, const long long *hits, Py_ssize_t n_lists,
            const double *n_tokens, Py_ssize_t n, double *stop_count)
{
    Py_ssize_t chosen = 0;
    for (Py_ssize_t j = 1; j < n_lists; j++)
        if (hits[j] > hits[chosen])
            chosen = j;
    int any = total > 0 && hits[chosen] > 0;
    Py_ssize_t t = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double count = 0.0;
        for (Py_ssize_t k = 0; k < (Py_ssize_t)n_tokens[i]; k++, t++)
            if (any)
                count += (double)((bits[t] >> chosen) & 1);
        stop_count[i] = count;
    }
}

/* A token's stop-word lists as bits (0 for none) into *bits; -1 on error. */
static int
lists_of_token(PyObject *lists_of, PyObject *token, long long *bits)
{
    Py_INCREF(token);
    PyObject *value = PyDict_GetItemWithError(lists_of, token);
    Py_DECREF(token);
    *bits = 0;
    if (value) {
        *bits = PyLong_AsLongLong(value);
        if (*bits == -1 && PyErr_Occurred())
            return -1;
    } else if (PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

static PyObject *
stop_counts(PyObject *self, PyObject *args)
{
    PyObject *lists, *lists_of, *stop_array, *tokens_array;
    Py_ssize_t n_lists;
    if (!PyArg_ParseTuple(args, "O!O!nOO:stop_counts", &PyList_Type, &lists, &PyDict_Type,
                          &lists_of, &n_lists, &stop_array, &tokens_array))
        return NULL;
    if (n_lists < 1 || n_lists > 62) {
        PyErr_SetString(PyExc_ValueError, "stop-word lists: 1 to 62");
        return NULL;
    }
    /* (a copy of the list of lists: a token's hash or comparison may run code) */
    PyObject *blocks = PyList_AsTuple(lists);
    if (!blocks)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(blocks), total = 0;
    PyObject *result = NULL;
    int64_t *bits = NULL;
    Py_buffer stop = {0}, tokens = {0};
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *block = PyTuple_GET_ITEM(blocks, i);
        if (!PyList_Check(block)) {
            PyErr_SetString(PyExc_TypeError, "stop_counts() takes lists of tokens");
            goto done;
        }
        total += PyList_GET_SIZE(block);
    }
    if (float_vector(stop_array, &stop, n, "stop_count") < 0
            || float_vector(tokens_array, &tokens, n, "n_tokens") < 0)
        goto done;
    bits = PyMem_Malloc((total ? total : 1) * sizeof(int64_t));
    if (!bits) {
        PyErr_NoMemory();
        goto done;
    }
    /* every token's bits, and each list's tokens */
    long long hits[62] = {0};
    Py_ssize_t t = 0;
    double *n_tokens = tokens.buf;   /* (whole numbers: read back below as counts) */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *block = PyTuple_GET_ITEM(blocks, i);
        /* (the tokens read by index, the length checked each time: the list may change
         * under a hash that runs code) */
        Py_ssize_t k = 0;
        for (; k < PyList_GET_SIZE(block) && t < total; k++, t++) {
            long long b;
            if (lists_of_token(lists_of, PyList_GET_ITEM(block, k), &b) < 0)
                goto done;
            bits[t] = b;
            for (Py_ssize_t j = 0; j < n_lists; j++)
                hits[j] += (b >> j) & 1;
        }
        n_tokens[i] = (double)k;
    }
    count_stops(bits, t, hits, n_lists, n_tokens, n, stop.buf);
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(bits);
    if (stop.obj)
        PyBuffer_Release(&stop);
    if (tokens.obj)
        PyBuffer_Release(&tokens);
    Py_DECREF(blocks);
    return result;
}

/* ------------------------------------------------------------------ characters */
/* features._python_char_columns: for each block of ``texts`` (a list of str) its count
 * of each character class (features._char_class, a code point past the BMP a letter; the
 * line break that joins a block to the next counted as its space), its words (runs of
 * letters and digits) and capitalised words (words starting with a capital), and four
 * flags as 0.0 or 1.0: ends_sentence and ends_colon (the last character once trailing
 * white space, then closing quotes and brackets, are stripped), starts_upper (the first
 * character a capital) and has_url ("http" or "www." in it). */
enum { C_OTHER, C_LOWER, C_UPPER, C_DIGIT, C_SPACE, C_STOP, C_SEP, C_COMMA, C_CLASSES };

static const Py_UCS4 separators[] = {
    0x7c, 0x2022, 0xb7, 0xbb, 0x203a, 0x3e, 0x2f, 0x3c, 0xab, 0x2039, 0x2013, 0x2014,
    0x2d, 0x5f, 0x23, 0x40, 0xa9, 0xae, 0x2122, 0x3d, 0x2b, 0x2a};
static const Py_UCS4 closers[] = {0x22, 0x27, 0xbb, 0x201d, 0x2019, 0x29, 0x5d, 0x2a};
static signed char ascii_class[128];

static int
one_of(Py_UCS4 c, const Py_UCS4 *set, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (set[k] == c)
            return 1;
    return 0;
}

static int
char_class(Py_UCS4 c)
{
    if (c > 0xFFFF)
        return C_LOWER;
    if (c == ',' || c == ';')
        return C_COMMA;
    if (one_of(c, separators, sizeof separators / sizeof *separators))
        return C_SEP;
    if (c == '.' || c == '!' || c == '?' || c == 0x2026)
        return C_STOP;
    if (Py_UNICODE_ISSPACE(c))
        return C_SPACE;
    if (Py_UNICODE_ISDIGIT(c))
        return C_DIGIT;
    if (Py_UNICODE_ISUPPER(c))
        return C_UPPER;
    if (Py_UNICODE_ISALPHA(c))
        return C_LOWER;
    return C_OTHER;
}

static int
int_array(PyObject *array, Py_buffer *view, Py_ssize_t n, Py_ssize_t width, char kind,
          const char *name)
{
    if (get_array(array, view, kind, 1, name) < 0)
        return -1;
    int ok = width ? view->ndim == 2 && view->shape[0] == n && view->shape[1] == width
                   : view->ndim == 1 && view->shape[0] == n;
    if (!ok) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_ValueError, "%s must hold %zd values a block", name,
                     width ? width : 1);
        return -1;
    }
    return 0;
}

static PyObject *
char_columns(PyObject *self, PyObject *args)
{
    PyObject *sequence, *arrays[4];
    if (!PyArg_ParseTuple(args, "OOOOO:char_columns", &sequence, &arrays[0], &arrays[1],
                          &arrays[2], &arrays[3]))
        return NULL;
    if (!PyList_Check(sequence) && !PyTuple_Check(sequence)) {
        PyErr_SetString(PyExc_TypeError, "char_columns() takes a list or tuple of str");
        return NULL;
    }
    PyObject *texts = PySequence_Tuple(sequence);
    if (!texts)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(texts);
    PyObject *result = NULL;
    Py_buffer views[4] = {{0}};
    static const char *names[] = {"counts", "words", "caps", "flags"};
    static const Py_ssize_t widths[] = {C_CLASSES, 0, 0, 4};
    for (Py_ssize_t i = 0; i < n; i++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(texts, i))
                || PyUnicode_READY(PyTuple_GET_ITEM(texts, i)) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "char_columns() takes a list or tuple of str");
            goto done;
        }
    for (int a = 0; a < 4; a++)
        if (int_array(arrays[a], &views[a], n, widths[a], a == 3 ? 'd' : 'q', names[a]) < 0)
            goto done;
    int64_t *counts = views[0].buf, *words = views[1].buf, *caps = views[2].buf;
    double *flags = views[3].buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyTuple_GET_ITEM(texts, i);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        int64_t *count = counts + i * C_CLASSES;
        int64_t word_count = 0, cap_count = 0;
        int in_word = 0, url = 0;
        memset(count, 0, C_CLASSES * sizeof *count);
        for (Py_ssize_t k = 0; k < length; k++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, k);
            int cls = c < 128 ? ascii_class[c] : char_class(c);
            count[cls]++;
            int wordish = cls >= C_LOWER && cls <= C_DIGIT;
            if (wordish && !in_word) {
                word_count++;
                cap_count += cls == C_UPPER;
            }
            in_word = wordish;
            if (!url && k + 4 <= length
                    && ((c == 'h' && PyUnicode_READ(kind, data, k + 1) == 't'
                         && PyUnicode_READ(kind, data, k + 2) == 't'
                         && PyUnicode_READ(kind, data, k + 3) == 'p')
                        || (c == 'w' && PyUnicode_READ(kind, data, k + 1) == 'w'
                            && PyUnicode_READ(kind, data, k + 2) == 'w'
                            && PyUnicode_READ(kind, data, k + 3) == '.')))
                url = 1;
        }
        /* (words are counted among the classes' characters, each once more at its start) */
        if (i + 1 < n)
            count[C_SPACE]++;
        words[i] = word_count;
        caps[i] = cap_count;
        Py_ssize_t end = length;
        while (end > 0 && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1)))
            end--;
        while (end > 0 && one_of(PyUnicode_READ(kind, data, end - 1), closers,
                                 sizeof closers / sizeof *closers))
            end--;
        Py_UCS4 last = end > 0 ? PyUnicode_READ(kind, data, end - 1) : 0;
        double *flag = flags + 4 * i;
        flag[0] = end > 0 && (last == '.' || last == '!' || last == '?' || last == 0x2026);
        flag[1] = end > 0 && last == ':';
        flag[2] = length > 0 && Py_UNICODE_ISUPPER(PyUnicode_READ(kind, data, 0));
        flag[3] = url;
    }
    result = Py_NewRef(Py_None);
done:
    for (int a = 0; a < 4; a++)
        if (views[a].obj)
            PyBuffer_Release(&views[a]);
    Py_DECREF(texts);
    return result;
}

/* ------------------------------------------------------------------ words */
/* features.page_words' values where features._python_page_words is the specification: the
 * page's tokens (features.page_tokens: the runs of word characters, str.isalnum or "_",
 * the ASCII capitals lower-cased), each block's key (its tokens joined by single spaces)
 * and the stop-word counts of stop_counts above, in one pass over the characters, the
 * tokens cut out of the keys. page_tokens lower-cases the whole page by str.lower when one
 * of its non-ASCII characters changes case: page_words lowers nothing past ASCII, and
 * gives None for a page holding a character that may change case (a capital or title
 * letter, or one with a lower case of its own), for the caller to lower it first or to
 * take the Python. */
static unsigned char ascii_word[128];   /* 1 for [0-9A-Za-z_] */

static int
may_change_case(Py_UCS4 c)
{
    return Py_UNICODE_TOLOWER(c) != c || Py_UNICODE_ISUPPER(c) || Py_UNICODE_ISTITLE(c);
}

/* The key of a block: its tokens' characters (kept in ``key``, their bounds in ``bounds``,
 * two a token) as a str, from the buffer of ``length`` characters whose highest is
 * ``highest``. */
static PyObject *
key_string(const Py_UCS4 *key, Py_ssize_t length, Py_UCS4 highest)
{
    if (highest < 128) {
        PyObject *s = PyUnicode_New(length, 127);
        if (!s)
            return NULL;
        Py_UCS1 *out = PyUnicode_1BYTE_DATA(s);
        for (Py_ssize_t k = 0; k < length; k++)
            out[k] = (Py_UCS1)key[k];
        return s;
    }
    return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, key, length);
}

/* The tokens a page_words call made, by their characters: a token met again is the same
 * str, its lists known (most of a page's tokens are ones met before in it). At most half
 * the slots are used; the tokens past them are made each time. */
#define KNOWN_SLOTS 4096
typedef struct {
    uint64_t hash;
    PyObject *token;     /* NULL: a free slot */
    long long bits;
} Known;

typedef struct {
    Known *slot;
    size_t mask, used;
} KnownTokens;

static int
same_token(PyObject *token, const Py_UCS4 *chars, Py_ssize_t n)
{
    if (PyUnicode_GET_LENGTH(token) != n)
        return 0;
    int kind = PyUnicode_KIND(token);
    const void *data = PyUnicode_DATA(token);
    for (Py_ssize_t k = 0; k < n; k++)
        if (PyUnicode_READ(kind, data, k) != chars[k])
            return 0;
    return 1;
}

/* The token of the characters chars[:n] (new reference) and its lists as bits. */
static PyObject *
token_of(KnownTokens *known, PyObject *joined, Py_ssize_t start, const Py_UCS4 *chars,
         Py_ssize_t n, PyObject *lists_of, long long *bits)
{
    uint64_t h = 14695981039346656037ULL;   /* FNV-1a */
    for (Py_ssize_t k = 0; k < n; k++)
        h = (h ^ chars[k]) * 1099511628211ULL;
    size_t at = (size_t)(h ^ (h >> 32)) & known->mask;
    for (; known->slot[at].token; at = (at + 1) & known->mask) {
        Known *e = &known->slot[at];
        if (e->hash == h && same_token(e->token, chars, n)) {
            *bits = e->bits;
            return Py_NewRef(e->token);
        }
    }
    PyObject *token = PyUnicode_Substring(joined, start, start + n);
    if (!token || lists_of_token(lists_of, token, bits) < 0) {
        Py_XDECREF(token);
        return NULL;
    }
    if (2 * (known->used + 1) <= known->mask + 1) {
        known->slot[at].hash = h;
        known->slot[at].token = Py_NewRef(token);
        known->slot[at].bits = *bits;
        known->used++;
    }
    return token;
}

/* The key of the block whose characters are the ``type`` array ``data`` of ``length``
 * (its tokens' characters, lower-cased, in key[:used], a space between two, the highest
 * in highest) and its tokens' bounds in the key, two a token (in bounds[:cut]). The key
 * and the bounds are written one place past their ends. */
#define CUT_WORDS(type)                                                                \
    do {                                                                               \
        const type *chars = data;                                                      \
        int in_word = 0;                                                               \
        for (Py_ssize_t k = 0; k < length; k++) {                                      \
            Py_UCS4 c = chars[k];                                                      \
            int word = c < 128 ? ascii_word[c] : Py_UNICODE_ISALNUM(c) != 0;           \
            int starts = word && !in_word, ends = !word && in_word;                     \
            key[used] = ' ';                                                           \
            used += starts & (used != 0);                                              \
            bounds[cut] = used;                                                        \
            cut += starts | ends;                                                      \
            c += (Py_UCS4)(c - 'A' < 26) << 5;                                         \
            key[used] = c;                                                             \
            used += word;                                                              \
            highest = word && c > highest ? c : highest;                               \
            in_word = word;                                                            \
        }                                                                              \
        if (in_word)                                                                   \
            bounds[cut++] = used;                                                      \
    } while (0)

static PyObject *
page_words(PyObject *self, PyObject *args)
{
    PyObject *sequence, *lists_of, *stop_array, *tokens_array;
    Py_ssize_t n_lists;
    if (!PyArg_ParseTuple(args, "OO!nOO:page_words", &sequence, &PyDict_Type, &lists_of,
                          &n_lists, &stop_array, &tokens_array))
        return NULL;
    if (n_lists < 1 || n_lists > 62) {
        PyErr_SetString(PyExc_ValueError, "stop-word lists: 1 to 62");
        return NULL;
    }
    if (!PyList_Check(sequence) && !PyTuple_Check(sequence)) {
        PyErr_SetString(PyExc_TypeError, "page_words() takes a list or tuple of str");
        return NULL;
    }
    PyObject *texts = PySequence_Tuple(sequence);
    if (!texts)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(texts), longest = 0, total = 0;
    PyObject *result = NULL, *lists = NULL, *keys = NULL;
    Py_UCS4 *key = NULL;
    Py_ssize_t *bounds = NULL;
    int64_t *bits = NULL;
    KnownTokens known = {0};
    Py_buffer stop = {0}, tokens = {0};
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyTuple_GET_ITEM(texts, i);
        if (!PyUnicode_Check(text) || PyUnicode_READY(text) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "page_words() takes a list or tuple of str");
            goto done;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        longest = length > longest ? length : longest;
        total += length;
    }
    if (float_vector(stop_array, &stop, n, "stop_count") < 0
            || float_vector(tokens_array, &tokens, n, "n_tokens") < 0)
        goto done;
    /* a character that may change case: the page is not one to cut here */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyTuple_GET_ITEM(texts, i);
        if (PyUnicode_IS_ASCII(text))
            continue;
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        for (Py_ssize_t k = 0; k < length; k++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, k);
            if (c >= 128 && may_change_case(c)) {
                result = Py_NewRef(Py_None);
                goto done;
            }
        }
    }
    /* a block's key is at most its length, its tokens at most half of it plus one; the
     * page's tokens at most its characters */
    size_t slots = 64;   /* (a page's distinct tokens are a few hundred) */
    while (slots < (size_t)total / 8 && slots < KNOWN_SLOTS)
        slots <<= 1;
    known.slot = PyMem_Calloc(slots, sizeof(Known));
    known.mask = slots - 1;
    key = PyMem_Malloc((longest + 2) * sizeof(Py_UCS4));
    bounds = PyMem_Malloc((longest + 2) * sizeof(Py_ssize_t));
    bits = PyMem_Malloc((total + 1) * sizeof(int64_t));
    lists = PyList_New(n);
    keys = PyList_New(n);
    if (!key || !bounds || !bits || !known.slot) {
        PyErr_NoMemory();
        goto done;
    }
    if (!lists || !keys)
        goto done;
    long long hits[62] = {0};
    Py_ssize_t t = 0;
    double *n_tokens = tokens.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyTuple_GET_ITEM(texts, i);
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t length = PyUnicode_GET_LENGTH(text), used = 0, cut = 0;
        Py_UCS4 highest = 0;
        /* (without branches but the one on ASCII: a word starts or ends at every few
         * characters, which a branch would guess wrong) */
        switch (kind) {
        case PyUnicode_1BYTE_KIND:
            CUT_WORDS(Py_UCS1);
            break;
        case PyUnicode_2BYTE_KIND:
            CUT_WORDS(Py_UCS2);
            break;
        default:
            CUT_WORDS(Py_UCS4);
        }
        PyObject *joined = key_string(key, used, highest);
        PyObject *block = joined ? PyList_New(cut / 2) : NULL;
        if (!block) {
            Py_XDECREF(joined);
            goto done;
        }
        PyList_SET_ITEM(keys, i, joined);
        PyList_SET_ITEM(lists, i, block);
        for (Py_ssize_t j = 0; j < cut / 2; j++, t++) {
            long long b;
            PyObject *token = token_of(&known, joined, bounds[2 * j], key + bounds[2 * j],
                                       bounds[2 * j + 1] - bounds[2 * j], lists_of, &b);
            if (!token)
                goto done;
            PyList_SET_ITEM(block, j, token);
            bits[t] = b;
            for (Py_ssize_t l = 0; b && l < n_lists; l++)
                hits[l] += (b >> l) & 1;
        }
        n_tokens[i] = (double)(cut / 2);
    }
    count_stops(bits, t, hits, n_lists, n_tokens, n, stop.buf);
    result = PyTuple_Pack(2, lists, keys);
done:
    Py_XDECREF(lists);
    Py_XDECREF(keys);
    PyMem_Free(key);
    PyMem_Free(bounds);
    PyMem_Free(bits);
    for (size_t k = 0; known.slot && k <= known.mask; k++)
        Py_XDECREF(known.slot[k].token);
    PyMem_Free(known.slot);
    if (stop.obj)
        PyBuffer_Release(&stop);
    if (tokens.obj)
        PyBuffer_Release(&tokens);
    Py_DECREF(texts);
    return result;
}

/* features._python_key_columns for the blocks whose keys are ASCII: lexicon_line and
 * lexicon_prefix (features._lexicon_columns: whether the key is a phrase of ``lexicon``,
 * for a block of at most max_words tokens, and whether its first one, two or three tokens,
 * joined by spaces, are one, its first token being one of ``firsts``), and for every block
 * the first block with its key. The blocks whose keys are not ASCII (which the lexicon
 * compares folded) are left: their indexes are returned, their lexicon columns unwritten. */
static PyObject *
key_columns(PyObject *self, PyObject *args)
{
    PyObject *token_lists, *key_list, *lexicon, *firsts, *arrays[3];
    Py_ssize_t max_words;
    if (!PyArg_ParseTuple(args, "O!O!O!O!nOOO:key_columns", &PyList_Type, &token_lists,
                          &PyList_Type, &key_list, &PyFrozenSet_Type, &lexicon,
                          &PyFrozenSet_Type, &firsts, &max_words, &arrays[0], &arrays[1],
                          &arrays[2]))
        return NULL;
    /* (copies: the lists may not change under the walk) */
    PyObject *blocks = PyList_AsTuple(token_lists), *keys = PyList_AsTuple(key_list);
    PyObject *result = NULL, *seen = NULL, *left = NULL, *space = NULL, *empty = NULL;
    Py_buffer views[3] = {{0}};
    if (!blocks || !keys)
        goto done;
    Py_ssize_t n = PyTuple_GET_SIZE(keys);
    if (PyTuple_GET_SIZE(blocks) != n) {
        PyErr_SetString(PyExc_ValueError, "key_columns() takes a key a block");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *block = PyTuple_GET_ITEM(blocks, i);
        int ok = PyUnicode_CheckExact(PyTuple_GET_ITEM(keys, i)) && PyList_CheckExact(block);
        for (Py_ssize_t k = 0; ok && k < PyList_GET_SIZE(block) && k < 3; k++)
            ok = PyUnicode_CheckExact(PyList_GET_ITEM(block, k));
        if (!ok) {
            PyErr_SetString(PyExc_TypeError, "key_columns() takes lists of str and str keys");
            goto done;
        }
    }
    static const char *names[] = {"lexicon_line", "lexicon_prefix", "ids"};
    for (int a = 0; a < 3; a++)
        if (int_array(arrays[a], &views[a], n, 0, a == 2 ? 'q' : 'd', names[a]) < 0)
            goto done;
    double *line = views[0].buf, *prefix = views[1].buf;
    int64_t *ids = views[2].buf;
    seen = PyDict_New();
    left = PyList_New(0);
    space = PyUnicode_FromString(" ");
    empty = PyUnicode_New(0, 0);
    if (!seen || !left || !space || !empty)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyTuple_GET_ITEM(keys, i), *block = PyTuple_GET_ITEM(blocks, i);
        PyObject *number = PyLong_FromSsize_t(i);
        PyObject *first = number ? PyDict_SetDefault(seen, key, number) : NULL;
        Py_XDECREF(number);
        if (!first)
            goto done;
        ids[i] = PyLong_AsSsize_t(first);
        if (ids[i] == -1 && PyErr_Occurred())
            goto done;
        if (!PyUnicode_IS_ASCII(key)) {
            PyObject *at = PyLong_FromSsize_t(i);
            int failed = !at || PyList_Append(left, at) < 0;
            Py_XDECREF(at);
            if (failed)
                goto done;
            continue;
        }
        /* (the lists are read again each time, the first token held: a set of other
         * objects than str could run code comparing them) */
        Py_ssize_t count = PyList_GET_SIZE(block);
        int is_line = 0, starts = 0;
        if (count <= max_words) {
            is_line = PySet_Contains(lexicon, key);
            if (is_line < 0)
                goto done;
        }
        PyObject *head = Py_NewRef(count ? PyList_GET_ITEM(block, 0) : empty);
        int opens = PySet_Contains(firsts, head);
        starts = opens > 0 ? PySet_Contains(lexicon, head) : opens;
        Py_DECREF(head);
        for (Py_ssize_t take = 2; opens > 0 && starts == 0 && take <= 3; take++) {
            PyObject *slice = PyList_GetSlice(block, 0, take);
            PyObject *words = slice ? PyUnicode_Join(space, slice) : NULL;
            Py_XDECREF(slice);
            if (!words)
                goto done;
            starts = PySet_Contains(lexicon, words);
            Py_DECREF(words);
        }
        if (starts < 0)
            goto done;
        line[i] = is_line;
        prefix[i] = starts;
    }
    result = Py_NewRef(left);
done:
    for (int a = 0; a < 3; a++)
        if (views[a].obj)
            PyBuffer_Release(&views[a]);
    Py_XDECREF(blocks);
    Py_XDECREF(keys);
    Py_XDECREF(seen);
    Py_XDECREF(left);
    Py_XDECREF(space);
    Py_XDECREF(empty);
    return result;
}

/* ------------------------------------------------------------------ text columns */
/* features._python_text_columns, compiled: the TEXT_FEATURES matrix of a page's blocks
 * from their character columns, stop-word counts and key columns, each value given by the
 * same operations on the same doubles (a division of two whole numbers made doubles, a
 * table's value, the C library's log through Python's math function past the table,
 * running sums in the same order; the prose run's sums are of whole numbers, exact), into
 * X. The one column numpy sums pairwise, the page's mean log_words (column MEAN_LOG_WORDS),
 * is left to the caller. */
enum { TEXT_WIDTH = 60, BASE = 22, MEAN_LOG_WORDS = 57 };
/* the base columns read by the neighbour columns and by the window columns */
static const int neighbour_of[5] = {1, 14, 11, 21, 18};
static const int window_of[3] = {1, 14, 21};

/* features._prose_run: the run of blocks with the most prose words, less five words a
 * block that is not prose (Kadane's, as the numpy's sums find it); end < start: none. */
static void
prose_run(const int64_t *words, const double *X, Py_ssize_t n, double *sums,
          Py_ssize_t *start, Py_ssize_t *end)
{
    sums[0] = 0.0;
    for (Py_ssize_t i = 0; i < n; i++)
        sums[i + 1] = sums[i] + (X[i * TEXT_WIDTH + 21] != 0.0 ? (double)words[i] : -5.0);
    double lowest = sums[0], best = 0.0;
    Py_ssize_t at = -1, restart = 0, best_restart = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        /* lowest: the least of sums[0..i]; a block i > 0 restarts the run when the sum up
         * to it is at most the lowest before it */
        if (i > 0 && sums[i] <= lowest)
            restart = i;
        if (sums[i] < lowest)
            lowest = sums[i];
        double total = sums[i + 1] - lowest;
        if (at < 0 || total > best) {
            best = total;
            at = i;
            best_restart = restart;
        }
    }
    if (at < 0 || best <= 0) {
        *start = 0;
        *end = -1;
        return;
    }
    *start = best_restart;
    *end = at;
}

static PyObject *
text_columns(PyObject *self, PyObject *args)
{
    PyObject *arrays[10], *config;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOO!:text_columns", &arrays[0], &arrays[1],
                          &arrays[2], &arrays[3], &arrays[4], &arrays[5], &arrays[6],
                          &arrays[7], &arrays[8], &arrays[9], &PyTuple_Type, &config))
        return NULL;
    PyObject *log1p_table, *log1p_function, *log_table, *log_function;
    if (!PyArg_ParseTuple(config, "OOOO:config", &log1p_table, &log1p_function, &log_table,
                          &log_function))
        return NULL;
    static const char *names[] = {"counts", "words", "caps", "flags", "stop_count",
                                  "n_tokens", "lexicon_line", "lexicon_prefix", "ids", "X"};
    static const Py_ssize_t widths[] = {C_CLASSES, 0, 0, 4, 0, 0, 0, 0, 0, TEXT_WIDTH};
    static const char kinds[] = "qqqdddddqd";
    Py_buffer views[10] = {{0}}, t1 = {0}, t2 = {0};
    PyObject *result = NULL;
    double *sums = NULL;
    int64_t *times = NULL;
    LogOf log1p_of, log_of_;
    if (get_array(arrays[1], &views[1], 'q', 0, "words") < 0)
        return NULL;
    Py_ssize_t n = views[1].ndim == 1 ? views[1].shape[0] : -1;
    PyBuffer_Release(&views[1]);
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "words must hold a value a block");
        return NULL;
    }
    for (int a = 0; a < 10; a++)
        if (int_array(arrays[a], &views[a], n, widths[a], kinds[a], names[a]) < 0)
            goto done;
    if (table_of(log1p_table, &t1, &log1p_of, log1p_function) < 0
            || table_of(log_table, &t2, &log_of_, log_function) < 0)
        goto done;
    const int64_t *counts = views[0].buf, *words = views[1].buf, *caps = views[2].buf,
                  *ids = views[8].buf;
    const double *flags = views[3].buf, *stop_count = views[4].buf,
                 *n_tokens = views[5].buf, *line = views[6].buf, *prefix = views[7].buf;
    double *X = views[9].buf;
    sums = PyMem_Malloc((3 * (n + 1) + 1) * sizeof(double));
    times = PyMem_Calloc(n ? n : 1, sizeof(int64_t));
    if (!sums || !times) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (ids[i] < 0 || ids[i] >= n) {
            PyErr_SetString(PyExc_ValueError, "ids must be blocks of the page");
            goto done;
        }
        times[ids[i]]++;
    }
    /* the base columns */
    long long total_words = 0;
    double stops = 0.0, tokens = 0.0, prose_blocks = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const int64_t *c = counts + i * C_CLASSES;
        double *x = X + i * TEXT_WIDTH;
        int64_t sum = 0;
        for (int k = 0; k < C_CLASSES; k++)
            sum += c[k];
        int64_t chars = sum - c[C_SPACE] > 1 ? sum - c[C_SPACE] : 1;
        int64_t safe_words = words[i] > 1 ? words[i] : 1;
        double share = stop_count[i] / (n_tokens[i] > 1.0 ? n_tokens[i] : 1.0);
        if (log_of(&log1p_of, chars, &x[0]) < 0 || log_of(&log1p_of, words[i], &x[1]) < 0
                || log_of(&log1p_of, c[C_STOP], &x[9]) < 0
                || log_of(&log1p_of, (long long)stop_count[i], &x[15]) < 0
                || log_of(&log_of_, times[ids[i]], &x[16]) < 0)
            goto done;
        x[2] = (double)(c[C_LOWER] + c[C_UPPER] + c[C_DIGIT]) / (double)safe_words;
        x[3] = (double)c[C_LOWER] / (double)chars;
        x[4] = (double)c[C_UPPER] / (double)chars;
        x[5] = (double)c[C_DIGIT] / (double)chars;
        x[6] = (double)c[C_OTHER] / (double)chars;
        x[7] = (double)c[C_SEP] / (double)chars;
        x[8] = (double)c[C_COMMA] / (double)safe_words;
        x[10] = (double)caps[i] / (double)safe_words;
        x[11] = flags[4 * i];
        x[12] = flags[4 * i + 1];
        x[13] = flags[4 * i + 2];
        x[14] = share;
        x[17] = ids[i] != i;
        x[18] = line[i];
        x[19] = prefix[i];
        x[20] = flags[4 * i + 3];
        x[21] = words[i] >= 10 && share >= 0.2;
        total_words += words[i];
        stops += stop_count[i];
        tokens += n_tokens[i];
        prose_blocks += x[21];
    }
    /* the neighbours' columns (-1 past the page's edges) and the windows' means */
    static const int offsets[4] = {-2, -1, 1, 2};
    for (Py_ssize_t i = 0; i < n; i++) {
        double *x = X + i * TEXT_WIDTH + BASE;
        for (int o = 0; o < 4; o++) {
            Py_ssize_t j = i + offsets[o];
            for (int k = 0; k < 5; k++)
                *x++ = j >= 0 && j < n ? X[j * TEXT_WIDTH + neighbour_of[k]] : -1.0;
        }
    }
    for (int k = 0; k < 3; k++) {
        double *cum = sums + k * (n + 1);
        cum[0] = 0.0;
        for (Py_ssize_t i = 0; i < n; i++)
            cum[i + 1] = i ? cum[i] + X[i * TEXT_WIDTH + window_of[k]]
                           : X[window_of[k]];
    }
    static const Py_ssize_t halves[2] = {3, 10};
    for (Py_ssize_t i = 0; i < n; i++) {
        double *x = X + i * TEXT_WIDTH + BASE + 20;
        for (int w = 0; w < 2; w++) {
            Py_ssize_t lo = i - halves[w] > 0 ? i - halves[w] : 0;
            Py_ssize_t hi = i + halves[w] + 1 < n ? i + halves[w] + 1 : n;
            for (int k = 0; k < 3; k++) {
                const double *cum = sums + k * (n + 1);
                *x++ = (cum[hi] - cum[lo]) / (double)(hi - lo);
            }
        }
    }
    /* where the block stands, and the page's own columns */
    Py_ssize_t start, end;
    prose_run(words, X, n, sums, &start, &end);
    double page[4];
    if (log_of(&log1p_of, n, &page[0]) < 0 || log_of(&log1p_of, total_words, &page[1]) < 0)
        goto done;
    page[2] = n ? prose_blocks / (double)n : 0.0;
    page[3] = stops / (tokens > 1.0 ? tokens : 1.0);
    long long before = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double *x = X + i * TEXT_WIDTH + BASE + 26;
        double index = (double)i, distance, side;
        if (end >= start) {
            distance = i < start ? (double)start - index : i > end ? index - (double)end : 0.0;
            side = i < start ? -1.0 : i > end ? 1.0 : 0.0;
        } else {
            distance = (double)n;
            side = 0.0;
        }
        x[0] = index / (double)(n - 1 > 1 ? n - 1 : 1);
        if (log_of(&log1p_of, i, &x[1]) < 0 || log_of(&log1p_of, n - 1 - i, &x[2]) < 0
                || log_of(&log1p_of, (long long)distance, &x[5]) < 0)
            goto done;
        x[3] = (double)before / ((double)total_words > 1.0 ? (double)total_words : 1.0);
        x[4] = distance == 0.0;
        x[6] = side;
        x[7] = page[0];
        x[8] = page[1];
        x[9] = 0.0;   /* (MEAN_LOG_WORDS: the caller's) */
        x[10] = page[2];
        x[11] = page[3];
        before += words[i];
    }
    result = Py_NewRef(Py_None);
done:
    for (int a = 0; a < 10; a++)
        if (views[a].obj)
            PyBuffer_Release(&views[a]);
    if (t1.obj)
        PyBuffer_Release(&t1);
    if (t2.obj)
        PyBuffer_Release(&t2);
    PyMem_Free(sums);
    PyMem_Free(times);
    return result;
}

static PyMethodDef module_methods[] = {
    {"stop_counts", stop_counts, METH_VARARGS,
     "stop_counts(token_lists, lists_of, n_lists, stop_count, n_tokens): each block's "
     "tokens in the page's stop-word list and its tokens, into the two float64 vectors."},
    {"char_columns", char_columns, METH_VARARGS,
     "char_columns(texts, counts, words, caps, flags): each block's character classes, "
     "words and capitalised words (int64), and ends_sentence, ends_colon, starts_upper "
     "and has_url (float64), into the four arrays."},
    {"page_words", page_words, METH_VARARGS,
     "page_words(texts, lists_of, n_lists, stop_count, n_tokens): (token_lists, keys) of "
     "the page's blocks, their stop-word counts and tokens into the two float64 vectors; "
     "None for a page with a non-ASCII character that may change case."},
    {"key_columns", key_columns, METH_VARARGS,
     "key_columns(token_lists, keys, lexicon, firsts, max_words, line, prefix, ids): the "
     "lexicon columns of the blocks with ASCII keys, each block's first block with its "
     "key; the indexes of the blocks left (keys not ASCII)."},
    {"text_columns", text_columns, METH_VARARGS,
     "text_columns(counts, words, caps, flags, stop_count, n_tokens, lexicon_line, "
     "lexicon_prefix, ids, X, config): the text features of a page's blocks into X, but "
     "the page's mean log_words."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_trees",
    "The tree walk of clean_corpus_plugins.boilerplate.model and parts of its features "
    "(stop-word counts, character columns, words, key and text columns), compiled.", -1,
    module_methods,
};

PyMODINIT_FUNC
PyInit__trees(void)
{
    if (PyType_Ready(&ForestType) < 0)
        return NULL;
    for (Py_UCS4 c = 0; c < 128; c++) {
        ascii_class[c] = (signed char)char_class(c);
        ascii_word[c] = Py_UNICODE_ISALNUM(c) || c == '_';
    }
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddObjectRef(m, "Forest", (PyObject *)&ForestType) < 0)
        Py_CLEAR(m);
    return m;
}
