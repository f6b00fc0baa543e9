/* The tree walk of model.TreeEnsemble, compiled: the same comparisons and the same
 * summation order as the numpy walk there (its fallback), so both give the same bits;
 * the stop-word counts of the block features (features._python_stop_counts, the same
 * whole numbers; see "stop words" below) and their character counts and flags
 * (features._python_char_columns; see "characters" at the end).
 *
 *     forest = Forest(root, feature, threshold, left, right, value)
 *     forest.sums(X, bounds, out)
 *     stop_counts(token_lists, lists_of, n_lists, stop_count, n_tokens)
 *     char_columns(texts, counts, words, caps, flags)
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
 * child), so eight rows are walked side by side through the same tree, their chains
 * overlapping in the CPU. As in the numpy walk, a leaf leads to itself, so every row
 * takes the tree's depth in steps and the eight walks keep in step with no branches.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define TILE 8

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
            PyObject *token = PyList_GET_ITEM(block, k);
            Py_INCREF(token);
            PyObject *value = PyDict_GetItemWithError(lists_of, token);
            Py_DECREF(token);
            long long b = 0;
            if (value) {
                b = PyLong_AsLongLong(value);
                if (b == -1 && PyErr_Occurred())
                    goto done;
            } else if (PyErr_Occurred()) {
                goto done;
            }
            bits[t] = b;
            for (Py_ssize_t j = 0; j < n_lists; j++)
                hits[j] += (b >> j) & 1;
        }
        n_tokens[i] = (double)k;
    }
    total = t;
    /* the page's list: the first with the most hits, none without a hit */
    Py_ssize_t chosen = 0;
    for (Py_ssize_t j = 1; j < n_lists; j++)
        if (hits[j] > hits[chosen])
            chosen = j;
    int any = total > 0 && hits[chosen] > 0;
    double *stop_count = stop.buf;
    t = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double count = 0.0;
        for (Py_ssize_t k = 0; k < (Py_ssize_t)n_tokens[i]; k++, t++)
            if (any)
                count += (double)((bits[t] >> chosen) & 1);
        stop_count[i] = count;
    }
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

static PyMethodDef module_methods[] = {
    {"stop_counts", stop_counts, METH_VARARGS,
     "stop_counts(token_lists, lists_of, n_lists, stop_count, n_tokens): each block's "
     "tokens in the page's stop-word list and its tokens, into the two float64 vectors."},
    {"char_columns", char_columns, METH_VARARGS,
     "char_columns(texts, counts, words, caps, flags): each block's character classes, "
     "words and capitalised words (int64), and ends_sentence, ends_colon, starts_upper "
     "and has_url (float64), into the four arrays."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_trees",
    "The tree walk of clean_corpus_plugins.boilerplate.model and the stop-word counts of "
    "its features, compiled.", -1, module_methods,
};

PyMODINIT_FUNC
PyInit__trees(void)
{
    if (PyType_Ready(&ForestType) < 0)
        return NULL;
    for (Py_UCS4 c = 0; c < 128; c++)
        ascii_class[c] = (signed char)char_class(c);
    PyObject *m = PyModule_Create(&module);
    if (m && PyModule_AddObjectRef(m, "Forest", (PyObject *)&ForestType) < 0)
        Py_CLEAR(m);
    return m;
}
