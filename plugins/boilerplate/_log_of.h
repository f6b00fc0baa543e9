/* features.log1p_counts and log_counts of whole numbers, for the compiled columns of both
 * modules (_dom.c's HTML columns, _trees.c's text columns): a table's value (the config's
 * features._log_table, the values of math.log1p or math.log below its size), or the
 * function itself (math.log1p, math.log: the C library's) called on a number past it.
 * Included after Python.h. */
#ifndef CLEAN_CORPUS_LOG_OF_H
#define CLEAN_CORPUS_LOG_OF_H

typedef struct {
    const double *table;
    Py_ssize_t size;
    PyObject *function;
} LogOf;

static int
log_of(const LogOf *f, long long k, double *value)
{
    if (k >= 0 && k < f->size) {
        *value = f->table[k];
        return 0;
    }
    PyObject *x = PyLong_FromLongLong(k);
    PyObject *r = x ? PyObject_CallOneArg(f->function, x) : NULL;
    Py_XDECREF(x);
    if (!r)
        return -1;
    *value = PyFloat_AsDouble(r);
    Py_DECREF(r);
    return (*value == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

/* A float64 table of a config (features._log_table): its buffer, kept in *view. */
static int
table_of(PyObject *array, Py_buffer *view, LogOf *f, PyObject *function)
{
    if (PyObject_GetBuffer(array, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    if (view->ndim != 1 || view->itemsize != sizeof(double) || !view->format
            || strcmp(view->format, "d") != 0) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "a log table is a float64 vector");
        return -1;
    }
    f->table = view->buf;
    f->size = view->shape[0];
    f->function = function;
    return 0;
}

#endif
