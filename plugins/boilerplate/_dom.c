/* The DOM walk of html._walk, compiled: the same blocks, field by field, in the same order,
 * with the same serial ids (html._python_walk is the specification and the fallback).
 *
 *     blocks = walk(root, skip, config)
 *
 * root is an lxml element; the walk reads the libxml2 tree under the document's top
 * elements (root and the elements after it) through lxml's public element struct
 * (lxml/lxml.etree.h), and only reads it: node types, names, namespaces, children, next,
 * parent, properties and contents. No libxml2 function is called (lxml links its own).
 * config is html._DOM_CONFIG: the element class, the block tags, the kinds, the ancestor
 * tags, the DomBlock class and the bounds (attribute characters, path length, words
 * above, words of an element). An element's class/id words are split here as
 * html._split_names splits them (split_words; split_names(names, max_words) gives them to
 * Python), each string once a walk. A tree the walk does not read as lxml would (an
 * entity reference node, an attribute whose value is not one text node, a DTD that
 * declares attributes, whose defaults Element.get reads) raises Unsupported, and the
 * caller walks the page in Python.
 *
 * What lxml and Python give, done the same way here:
 * - an element's .text is the run of TEXT/CDATA nodes starting its children, its .tail
 *   the run right after it (None when there is none, "" when they are all empty);
 * - iterwalk's order: an element's start, its children (elements, comments, PIs), its
 *   end; a comment or PI is one event whose tail is read;
 * - str.isspace, str.strip, str.split and str.isalnum on the UTF-8 of the nodes, by
 *   Py_UNICODE_ISSPACE / Py_UNICODE_ISALNUM on each code point;
 * - Element.get(name): the first attribute of that name and no namespace, its value the
 *   content of its one text child ("" with no child).
 * The walk keeps its own stack on the heap (a page nested 100,000 deep is a loop, not a
 * recursion), and reads at most the first bounds characters of an attribute.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <libxml/tree.h>
#include <lxml-version.h>
#include "lxml.etree.h"

static PyObject *Unsupported;
static PyObject *s_space;   /* " " */
static PyObject *s_empty;   /* () */

/* ------------------------------------------------------------------ UTF-8 and Python */
/* The code point at s[*i] (valid UTF-8, as libxml2 keeps it), *i moved past it. */
static inline Py_UCS4
next_char(const unsigned char *s, Py_ssize_t n, Py_ssize_t *i)
{
    unsigned char c = s[*i];
    Py_UCS4 ch;
    int more;
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    if (c >= 0xF0) { ch = c & 0x07; more = 3; }
    else if (c >= 0xE0) { ch = c & 0x0F; more = 2; }
    else { ch = c & 0x1F; more = 1; }
    (*i)++;
    while (more-- && *i < n) {
        ch = (ch << 6) | (s[*i] & 0x3F);
        (*i)++;
    }
    return ch;
}

/* str.isspace of the text: not empty, every character whitespace. */
static int
is_space(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    if (n == 0)
        return 0;
    while (i < n) {
        Py_UCS4 ch = next_char(s, n, &i);   /* (the macro reads its argument twice) */
        if (!Py_UNICODE_ISSPACE(ch))
            return 0;
    }
    return 1;
}

/* len(text.strip()) */
static Py_ssize_t
stripped_length(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t i = 0, chars = 0, last_kept = 0;
    int started = 0;
    while (i < n) {
        Py_UCS4 ch = next_char(s, n, &i);
        if (Py_UNICODE_ISSPACE(ch)) {
            if (started)
                chars++;
        } else {
            started = 1;
            chars++;
            last_kept = chars;
        }
    }
    return last_kept;
}

/* ------------------------------------------------------------------ growing buffers */
typedef struct {
    unsigned char *data;
    Py_ssize_t len, cap;
} Buffer;

static int
buffer_add(Buffer *b, const void *data, Py_ssize_t n)
{
    if (n <= 0)   /* (nothing to copy: data and b->data may both be NULL) */
        return 0;
    if (b->len + n > b->cap) {
        Py_ssize_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n) {
            if (cap > PY_SSIZE_T_MAX / 2) {
                PyErr_NoMemory();
                return -1;
            }
            cap *= 2;
        }
        unsigned char *grown = PyMem_Realloc(b->data, cap);
        if (!grown) {
            PyErr_NoMemory();
            return -1;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return 0;
}

/* A table of pointers, open-addressed (linear probing, at most half full): the links of a
 * block (a set of node pointers) and the walk's tags (Tag structs, by name and namespace).
 * Both grow by slots_reserve, each entry re-placed by its table's hash of it. */
typedef struct {
    void **slot;
    Py_ssize_t used, cap;
} Slots;

typedef size_t (*SlotHash)(const void *entry);

/* Room for one more entry: the table twice as large (16 slots at first) when one more
 * would fill more than half of it. */
static int
slots_reserve(Slots *t, SlotHash hash)
{
    if (2 * (t->used + 1) <= t->cap)
        return 0;
    Py_ssize_t cap = t->cap ? 2 * t->cap : 16;
    void **slot = PyMem_Calloc(cap, sizeof(void *));
    if (!slot) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < t->cap; k++) {
        void *entry = t->slot[k];
        if (!entry)
            continue;
        size_t h = hash(entry) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = entry;
    }
    PyMem_Free(t->slot);
    t->slot = slot;
    t->cap = cap;
    return 0;
}

static size_t
pointer_hash(const void *p)
{
    return (size_t)p >> 4;
}

typedef Slots PtrSet;

static int
ptrset_add(PtrSet *set, void *p)
{
    if (slots_reserve(set, pointer_hash) < 0)
        return -1;
    size_t h = pointer_hash(p) & (set->cap - 1);
    while (set->slot[h]) {
        if (set->slot[h] == p)
            return 0;
        h = (h + 1) & (set->cap - 1);
    }
    set->slot[h] = p;
    set->used++;
    return 0;
}

static void
ptrset_clear(PtrSet *set)
{
    if (set->used)
        memset(set->slot, 0, set->cap * sizeof(void *));
    set->used = 0;
}

/* ------------------------------------------------------------------ class/id words */
/* html._split_names on the UTF-8 (or ASCII-mapped) bytes s[:n]: the matches of
 * [A-Z]{2,}[a-z]*|[A-Z][a-z]+|[a-z]{2,} from left to right, not overlapping, lower-cased,
 * the first of each kept, at most max_words of them. Only ASCII letters make words: a byte
 * of 0x80 and above (part of a non-ASCII character) parts them like any other byte. */
#define MAX_WORDS 64   /* the most words a call may keep */
#define IS_UPPER(c) ((unsigned char)((c) - 'A') < 26)
#define IS_LOWER(c) ((unsigned char)((c) - 'a') < 26)

static PyObject *
split_words(const unsigned char *s, Py_ssize_t n, Py_ssize_t max_words)
{
    Py_ssize_t start[MAX_WORDS], length[MAX_WORDS];   /* the words kept */
    Py_ssize_t kept = 0, i = 0;
    while (i < n && kept < max_words) {
        Py_ssize_t at = i, end;
        if (IS_UPPER(s[i])) {
            end = i + 1;
            while (end < n && IS_UPPER(s[end]))
                end++;
            if (end - at == 1 && !(end < n && IS_LOWER(s[end]))) {
                i = end;   /* one capital, no small letter after it: no word here */
                continue;
            }
            while (end < n && IS_LOWER(s[end]))
                end++;
        } else if (IS_LOWER(s[i])) {
            end = i + 1;
            while (end < n && IS_LOWER(s[end]))
                end++;
            if (end - at == 1) {
                i = end;
                continue;
            }
        } else {
            i++;
            continue;
        }
        i = end;
        Py_ssize_t len = end - at;
        int seen = 0;
        for (Py_ssize_t k = 0; k < kept && !seen; k++) {
            if (length[k] != len)
                continue;
            seen = 1;
            for (Py_ssize_t j = 0; j < len; j++)
                if ((s[start[k] + j] | 0x20) != (s[at + j] | 0x20)) {   /* (letters only) */
                    seen = 0;
                    break;
                }
        }
        if (!seen) {
            start[kept] = at;
            length[kept] = len;
            kept++;
        }
    }
    if (!kept)
        return Py_NewRef(s_empty);
    PyObject *words = PyTuple_New(kept);
    if (!words)
        return NULL;
    for (Py_ssize_t k = 0; k < kept; k++) {
        PyObject *word = PyUnicode_New(length[k], 127);
        if (!word) {
            Py_DECREF(words);
            return NULL;
        }
        Py_UCS1 *out = PyUnicode_1BYTE_DATA(word);
        for (Py_ssize_t j = 0; j < length[k]; j++)
            out[j] = s[start[k] + j] | 0x20;
        PyTuple_SET_ITEM(words, k, word);
    }
    return words;
}

/* ------------------------------------------------------------------ tags */
/* What the walk needs of a tag, found once a walk for each name (and namespace). */
typedef struct {
    const xmlChar *name;
    const xmlChar *href;
    PyObject *tag;       /* lxml's .tag: "name" or "{href}name" */
    PyObject *kind;      /* KINDS.get(tag, "p") */
    char skip, block, link, br, ancestor;
} Tag;

/* The walk's tags: a Slots table of Tag structs (each stays where it is: the stack points
 * at them), by name and namespace. */
static size_t
tag_hash(const void *entry)
{
    const Tag *tag = entry;
    return ((size_t)tag->name >> 3) ^ ((size_t)tag->href >> 5);
}

/* ------------------------------------------------------------------ the walk */
/* The words of the class/id strings a walk met, by the string (its bytes): an element with
 * the class of one before it is given that element's tuple, the same object. At most
 * NAME_SLOTS / 2 strings are kept; the words of others are split each time. */
#define NAME_SLOTS 1024
typedef struct {
    uint64_t hash;
    Py_ssize_t key_at, key_len;   /* the string: keys.data[key_at:key_at + key_len] */
    PyObject *words;              /* NULL: a free slot */
} NameEntry;

typedef struct {
    NameEntry *slot;
    Py_ssize_t used;
    Buffer keys;
} NameCache;

typedef struct {
    xmlNode *node;
    Tag *tag;
    xmlNode *owner;      /* the nearest block-level element (NULL: a skipped element) */
    Py_ssize_t level;    /* the owner's level */
    xmlNode *link;       /* the ``a`` the element is inside, or NULL */
    PyObject *place[5];  /* path, names, ids, tags_above, words_above, or NULLs */
} Entry;

typedef struct {
    /* config */
    PyObject *skip, *block_tags, *kinds, *ancestor_set, *block_type, *p_kind;
    Py_ssize_t max_attr, max_path, max_words_above, max_words;
    /* state */
    Slots tags;          /* Tag structs */
    Entry *stack;
    Py_ssize_t depth_used, stack_cap;
    Py_ssize_t serial;
    Buffer pieces;       /* the UTF-8 of the block's pieces, joined */
    Py_ssize_t n_pieces;
    Buffer text;         /* the block's text, its whitespace runs made single spaces */
    Buffer scratch;      /* a run of more than one text node, joined */
    Buffer names;        /* an element's class, id, role and itemprop, cut and joined */
    NameCache words;     /* the words of each joined string met in the walk */
    Py_ssize_t link_chars;
    PtrSet links;
    xmlNode *owner;
    Py_ssize_t depth;
    Tag *owner_tag;
    PyObject *place[5];
    PyObject *blocks;
} Walk;

static Tag *
tag_of(Walk *w, xmlNode *node)
{
    const xmlChar *href = (node->ns && node->ns->href) ? node->ns->href : NULL;
    Slots *t = &w->tags;
    if (!node->name) {
        PyErr_SetString(Unsupported, "an element without a name");
        return NULL;
    }
    if (slots_reserve(t, tag_hash) < 0)   /* (room for the tag, should it be new) */
        return NULL;
    Tag probe = {.name = node->name, .href = href};
    size_t h = tag_hash(&probe) & (t->cap - 1);
    for (Tag *found; (found = t->slot[h]) != NULL; h = (h + 1) & (t->cap - 1))
        if (found->name == node->name && found->href == href)
            return found;
    PyObject *s = href ? PyUnicode_FromFormat("{%s}%s", (const char *)href,
                                              (const char *)node->name)
                       : PyUnicode_FromString((const char *)node->name);
    if (!s)
        return NULL;
    int skip = PySequence_Contains(w->skip, s);
    int block = PySequence_Contains(w->block_tags, s);
    int ancestor = PySequence_Contains(w->ancestor_set, s);
    PyObject *kind = PyDict_GetItemWithError(w->kinds, s);
    Tag *tag = PyMem_Malloc(sizeof(Tag));
    if (skip < 0 || block < 0 || ancestor < 0 || (!kind && PyErr_Occurred()) || !tag) {
        if (!tag && !PyErr_Occurred())
            PyErr_NoMemory();
        PyMem_Free(tag);
        Py_DECREF(s);
        return NULL;
    }
    tag->name = node->name;
    tag->href = href;
    tag->tag = s;
    tag->kind = Py_NewRef(kind ? kind : w->p_kind);
    tag->skip = (char)skip;
    tag->block = (char)block;
    tag->ancestor = (char)ancestor;
    tag->link = PyUnicode_CompareWithASCIIString(s, "a") == 0;
    tag->br = PyUnicode_CompareWithASCIIString(s, "br") == 0;
    t->slot[h] = tag;
    t->used++;
    return tag;
}

/* Element.get(name) of an attribute without namespace: 1 and its UTF-8 in *value (not
 * terminated, *n bytes; "" when it has no child), 0 when there is none, -1 (Unsupported
 * set) when its value is more than one text node. */
static int
attribute(xmlNode *node, const char *name, const unsigned char **value, Py_ssize_t *n)
{
    for (xmlAttr *a = node->properties; a; a = a->next) {
        if (a->ns || !a->name || strcmp((const char *)a->name, name) != 0)
            continue;
        xmlNode *child = a->children;
        if (!child) {
            *value = (const unsigned char *)"";
            *n = 0;
            return 1;
        }
        if (child->next || (child->type != XML_TEXT_NODE
                            && child->type != XML_CDATA_SECTION_NODE) || !child->content) {
            PyErr_SetString(Unsupported, "an attribute value of more than one text node");
            return -1;
        }
        *value = child->content;
        *n = (Py_ssize_t)strlen((const char *)child->content);
        return 1;
    }
    return 0;
}

/* The bytes of the first ``chars`` characters of the UTF-8 ``s``. */
static Py_ssize_t
cut(const unsigned char *s, Py_ssize_t n, Py_ssize_t chars)
{
    Py_ssize_t i = 0;
    while (i < n && chars-- > 0)
        next_char(s, n, &i);
    return i;
}

/* The words of the class/id string s[:n], from the walk's cache or split and kept. */
static PyObject *
cached_words(Walk *w, const unsigned char *s, Py_ssize_t n)
{
    NameCache *c = &w->words;
    uint64_t h = 14695981039346656037ULL;   /* FNV-1a */
    for (Py_ssize_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ULL;
    if (!c->slot) {
        c->slot = PyMem_Calloc(NAME_SLOTS, sizeof(NameEntry));
        if (!c->slot) {
            PyErr_NoMemory();
            return NULL;
        }
    }
    size_t k = (size_t)(h ^ (h >> 29)) & (NAME_SLOTS - 1);
    for (; c->slot[k].words; k = (k + 1) & (NAME_SLOTS - 1)) {
        NameEntry *e = &c->slot[k];
        if (e->hash == h && e->key_len == n
                && (n == 0 || memcmp(c->keys.data + e->key_at, s, n) == 0))
            return Py_NewRef(e->words);
    }
    PyObject *words = split_words(s, n, w->max_words);
    if (words && 2 * (c->used + 1) <= NAME_SLOTS) {
        Py_ssize_t at = c->keys.len;
        if (buffer_add(&c->keys, s, n) < 0) {
            Py_DECREF(words);
            return NULL;
        }
        c->slot[k].hash = h;
        c->slot[k].key_at = at;
        c->slot[k].key_len = n;
        c->slot[k].words = Py_NewRef(words);
        c->used++;
    }
    return words;
}

static void
name_cache_free(NameCache *c)
{
    for (Py_ssize_t k = 0; c->slot && k < NAME_SLOTS; k++)
        Py_XDECREF(c->slot[k].words);
    PyMem_Free(c->slot);
    PyMem_Free(c->keys.data);
}

/* html.name_words(element): its class, id, role and itemprop, cut, split as _split_names
 * splits them (split_words). */
static PyObject *
name_words(Walk *w, xmlNode *node)
{
    static const char *NAMES[4] = {"class", "id", "role", "itemprop"};
    const unsigned char *value[4];
    Py_ssize_t n[4];
    int found[4];
    for (int k = 0; k < 4; k++) {
        found[k] = attribute(node, NAMES[k], &value[k], &n[k]);
        if (found[k] < 0)
            return NULL;
    }
    if (!found[1] && !found[2] && !found[3]) {   /* most elements: a class alone, or none */
        if (!found[0] || n[0] == 0)
            return Py_NewRef(s_empty);
        return cached_words(w, value[0], cut(value[0], n[0], w->max_attr));
    }
    w->names.len = 0;
    for (int k = 0; k < 4; k++) {
        if (!found[k] || n[k] == 0)   /* (the Python's ``if value``) */
            continue;
        if ((w->names.len && buffer_add(&w->names, " ", 1) < 0)
                || buffer_add(&w->names, value[k], cut(value[k], n[k], w->max_attr)) < 0)
            return NULL;
    }
    if (!w->names.len)   /* every value empty (id=""): no words, and no bytes to look up */
        return Py_NewRef(s_empty);
    return cached_words(w, w->names.data, w->names.len);
}

/* (head,) + body[:keep] */
static PyObject *
prepend(PyObject *head, PyObject *body, Py_ssize_t keep)
{
    PyObject *t = PyTuple_New(keep + 1);
    if (!t)
        return NULL;
    PyTuple_SET_ITEM(t, 0, Py_NewRef(head));
    for (Py_ssize_t k = 0; k < keep; k++)
        PyTuple_SET_ITEM(t, k + 1, Py_NewRef(PyTuple_GET_ITEM(body, k)));
    return t;
}

/* html._place: the place of the open element at ``level``, computed from the nearest
 * level that has one, each level once, ids given in the same order. */
static int
place(Walk *w, Py_ssize_t level)
{
    Py_ssize_t known = level;
    while (known >= 0 && !w->stack[known].place[0])
        known--;
    PyObject *path, *names, *ids, *tags_above, *words_above;
    if (known < 0) {
        Entry *top = &w->stack[0];
        PyObject *words = name_words(w, top->node);
        if (!words)
            return -1;
        PyObject *id = PyLong_FromSsize_t(w->serial++);
        path = PyTuple_Pack(1, top->tag->tag);
        names = PyTuple_Pack(1, words);
        ids = id ? PyTuple_Pack(1, id) : NULL;
        Py_XDECREF(id);
        tags_above = PyFrozenSet_New(NULL);
        if (tags_above && top->tag->ancestor && PySet_Add(tags_above, top->tag->tag) < 0)
            Py_CLEAR(tags_above);
        words_above = PyFrozenSet_New(words);
        Py_DECREF(words);
        if (!path || !names || !ids || !tags_above || !words_above) {
            Py_XDECREF(path); Py_XDECREF(names); Py_XDECREF(ids);
            Py_XDECREF(tags_above); Py_XDECREF(words_above);
            return -1;
        }
        top->place[0] = path; top->place[1] = names; top->place[2] = ids;
        top->place[3] = tags_above; top->place[4] = words_above;
        known = 0;
    }
    for (Py_ssize_t k = known + 1; k <= level; k++) {
        Entry *above = &w->stack[k - 1], *e = &w->stack[k];
        PyObject *tag = e->tag->tag;
        PyObject *words = name_words(w, e->node);
        if (!words)
            return -1;
        tags_above = Py_NewRef(above->place[3]);
        if (e->tag->ancestor) {
            int in = PySet_Contains(tags_above, tag);
            if (in < 0)
                goto failed_words;
            if (!in) {
                PyObject *more = PyFrozenSet_New(tags_above);
                Py_SETREF(tags_above, more);
                if (!more || PySet_Add(more, tag) < 0)
                    goto failed_words;
            }
        }
        words_above = Py_NewRef(above->place[4]);
        Py_ssize_t nw = PyTuple_GET_SIZE(words);
        if (nw && PySet_GET_SIZE(words_above) < w->max_words_above) {
            int superset = 1;
            for (Py_ssize_t j = 0; j < nw && superset; j++) {
                int in = PySet_Contains(words_above, PyTuple_GET_ITEM(words, j));
                if (in < 0)
                    goto failed_sets;
                superset = in;
            }
            if (!superset) {
                PyObject *more = PyFrozenSet_New(words_above);
                Py_SETREF(words_above, more);
                if (!more)
                    goto failed_sets;
                for (Py_ssize_t j = 0; j < nw; j++)
                    if (PySet_Add(more, PyTuple_GET_ITEM(words, j)) < 0)
                        goto failed_sets;
            }
        }
        PyObject *old_path = above->place[0];
        Py_ssize_t keep = PyTuple_GET_SIZE(old_path);
        if (keep >= w->max_path)
            keep--;   /* the nearest levels only */
        PyObject *id = PyLong_FromSsize_t(w->serial++);
        path = prepend(tag, old_path, keep);
        names = prepend(words, above->place[1], keep);
        ids = id ? prepend(id, above->place[2], keep) : NULL;
        Py_XDECREF(id);
        Py_DECREF(words);
        if (!path || !names || !ids) {
            Py_XDECREF(path); Py_XDECREF(names); Py_XDECREF(ids);
            Py_DECREF(tags_above); Py_DECREF(words_above);
            return -1;
        }
        e->place[0] = path; e->place[1] = names; e->place[2] = ids;
        e->place[3] = tags_above; e->place[4] = words_above;
        continue;
    failed_sets:
        Py_XDECREF(words_above);
    failed_words:
        Py_XDECREF(tags_above);
        Py_DECREF(words);
        return -1;
    }
    return 0;
}

/* The block of the pending pieces, when its text has a letter or digit. */
static int
flush(Walk *w)
{
    const unsigned char *s = w->pieces.data;
    Py_ssize_t n = w->pieces.len, i = 0, chars = 0;
    int alnum = 0, gap = 0;
    w->text.len = 0;
    while (i < n) {   /* " ".join(text.split()), its length and str.isalnum of a char */
        Py_ssize_t at = i;
        Py_UCS4 ch = next_char(s, n, &i);
        if (Py_UNICODE_ISSPACE(ch)) {
            gap = 1;
            continue;
        }
        if (gap && w->text.len) {
            if (buffer_add(&w->text, " ", 1) < 0)
                return -1;
            chars++;
        }
        gap = 0;
        if (buffer_add(&w->text, s + at, i - at) < 0)
            return -1;
        chars++;
        if (!alnum && Py_UNICODE_ISALNUM(ch))
            alnum = 1;
    }
    if (!alnum)
        return 0;
    PyObject *text = PyUnicode_DecodeUTF8((const char *)w->text.data, w->text.len, NULL);
    if (!text)
        return -1;
    PyObject *values[11];
    values[0] = text;
    values[1] = Py_NewRef(PyTuple_GET_ITEM(w->place[0], 0));
    values[2] = Py_NewRef(w->owner_tag->kind);
    values[3] = PyLong_FromSsize_t(w->link_chars < chars ? w->link_chars : chars);
    values[4] = PyLong_FromSsize_t(w->links.used);
    values[5] = PyLong_FromSsize_t(w->depth);
    for (int k = 0; k < 5; k++)
        values[6 + k] = Py_NewRef(w->place[k]);
    PyObject *block = NULL;
    int failed = !values[3] || !values[4] || !values[5];
    if (!failed) {
        block = PyObject_Vectorcall(w->block_type, values, 11, NULL);
        failed = !block || PyList_Append(w->blocks, block) < 0;
    }
    Py_XDECREF(block);
    for (int k = 0; k < 11; k++)
        Py_XDECREF(values[k]);
    return failed ? -1 : 0;
}

static int
add_piece(Walk *w, const char *s, Py_ssize_t n)
{
    w->n_pieces++;
    return buffer_add(&w->pieces, s, n);
}

/* A text (``.text`` of the open element, or a ``.tail``) joins the block of ``e``. */
static int
add_text(Walk *w, Entry *e, const unsigned char *s, Py_ssize_t n, int after_br)
{
    if (e->owner != w->owner) {
        if (w->n_pieces && flush(w) < 0)
            return -1;
        w->pieces.len = 0;
        w->n_pieces = 0;
        w->link_chars = 0;
        ptrset_clear(&w->links);
        w->owner = e->owner;
        w->depth = e->level + 1;
        if (place(w, e->level) < 0)
            return -1;
        Entry *owner = &w->stack[e->level];
        w->owner_tag = owner->tag;
        for (int k = 0; k < 5; k++)
            Py_XSETREF(w->place[k], Py_NewRef(owner->place[k]));
    }
    w->n_pieces++;
    if ((after_br && buffer_add(&w->pieces, " ", 1) < 0) || buffer_add(&w->pieces, s, n) < 0)
        return -1;
    if (e->link) {
        w->link_chars += stripped_length(s, n);
        if (ptrset_add(&w->links, e->link) < 0)
            return -1;
    }
    return 0;
}

/* lxml's _collectText from ``node``: the run of text nodes; 0 when there is none (None),
 * else 1 with the joined UTF-8 in *out (kept in ``scratch`` when more than one node). */
static int
collect_text(xmlNode *node, Buffer *scratch, const unsigned char **out, Py_ssize_t *n)
{
    int count = 0;
    const unsigned char *only = NULL;
    Py_ssize_t only_n = 0;
    int nonempty = 0;
    for (xmlNode *c = node; c; c = c->next) {
        if (c->type == XML_XINCLUDE_START || c->type == XML_XINCLUDE_END)
            continue;
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            break;
        count++;
        if (c->content && c->content[0]) {
            Py_ssize_t len = (Py_ssize_t)strlen((const char *)c->content);
            if (nonempty == 0) {
                only = c->content;
                only_n = len;
            } else {
                if (nonempty == 1) {
                    scratch->len = 0;
                    if (buffer_add(scratch, only, only_n) < 0)
                        return -1;
                }
                if (buffer_add(scratch, c->content, len) < 0)
                    return -1;
            }
            nonempty++;
        }
    }
    if (!count)
        return 0;
    if (nonempty > 1) {
        *out = scratch->data;
        *n = scratch->len;
    } else if (nonempty == 1) {
        *out = only;
        *n = only_n;
    } else {
        *out = (const unsigned char *)"";
        *n = 0;
    }
    return 1;
}

/* any(t.isspace() for t in element.xpath(".//text()")): the text nodes below ``top``,
 * visited by parent pointers (no recursion). */
static int
space_inside(xmlNode *top)
{
    xmlNode *node = top->children;
    while (node && node != top) {
        if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
            if (node->content
                    && is_space(node->content, (Py_ssize_t)strlen((const char *)node->content)))
                return 1;
        } else if (node->children && node->type != XML_ENTITY_REF_NODE
                   && node->type != XML_ATTRIBUTE_NODE && node->type != XML_DTD_NODE) {
            node = node->children;
            continue;
        }
        while (node != top && !node->next)
            node = node->parent;
        if (node == top)
            break;
        node = node->next;
    }
    return 0;
}

static int
push(Walk *w, xmlNode *node, Tag *tag, xmlNode *owner, Py_ssize_t level, xmlNode *link)
{
    if (w->depth_used == w->stack_cap) {
        Py_ssize_t cap = w->stack_cap ? 2 * w->stack_cap : 64;
        Entry *grown = PyMem_Realloc(w->stack, cap * sizeof(Entry));
        if (!grown) {
            PyErr_NoMemory();
            return -1;
        }
        w->stack = grown;
        w->stack_cap = cap;
    }
    Entry *e = &w->stack[w->depth_used++];
    e->node = node;
    e->tag = tag;
    e->owner = owner;
    e->level = level;
    e->link = link;
    memset(e->place, 0, sizeof(e->place));
    return 0;
}

static Tag *
pop(Walk *w)
{
    Entry *e = &w->stack[--w->depth_used];
    for (int k = 0; k < 5; k++)
        Py_CLEAR(e->place[k]);
    return e->tag;
}

/* The run of text nodes from ``first`` (an element's .text, or a .tail): a space between
 * pending pieces when it is all whitespace, else a piece of the innermost open element's
 * block (none when no element is open); after a ``br``, with a space before it. */
static int
text_run(Walk *w, xmlNode *first, int after_br)
{
    const unsigned char *text;
    Py_ssize_t n;
    int found = collect_text(first, &w->scratch, &text, &n);
    if (found <= 0)
        return found;
    if (is_space(text, n))
        return w->n_pieces ? add_piece(w, " ", 1) : 0;
    if (!w->depth_used)
        return 0;
    return add_text(w, &w->stack[w->depth_used - 1], text, n, after_br);
}

/* The start of an element: 1 to enter it, 0 not to, -1 on error. */
static int
start(Walk *w, xmlNode *node)
{
    Tag *tag = tag_of(w, node);
    if (!tag)
        return -1;
    int hidden = 0;
    if (!tag->skip && w->depth_used) {
        const unsigned char *v;
        Py_ssize_t n;
        hidden = attribute(node, "hidden", &v, &n);
        if (hidden < 0)
            return -1;
    }
    if (tag->skip || hidden) {
        if (w->n_pieces && space_inside(node) && add_piece(w, " ", 1) < 0)
            return -1;
        return push(w, node, tag, NULL, 0, NULL) < 0 ? -1 : 0;
    }
    int pushed;
    if (!w->depth_used) {
        pushed = push(w, node, tag, node, 0, NULL);
    } else if (tag->block) {
        Entry *parent = &w->stack[w->depth_used - 1];
        pushed = push(w, node, tag, node, w->depth_used, parent->link);
    } else {
        Entry *parent = &w->stack[w->depth_used - 1];
        pushed = push(w, node, tag, parent->owner, parent->level,
                      tag->link ? node : parent->link);
    }
    if (pushed < 0)
        return -1;
    return text_run(w, node->children, 0) < 0 ? -1 : 1;
}

/* The tail of an element just closed (``closed`` its tag) or of a comment / PI (NULL). */
static int
tail(Walk *w, xmlNode *node, Tag *closed)
{
    return text_run(w, node->next, closed && closed->br);
}

/* The next node iterwalk visits among ``node`` and its following siblings: an element, a
 * comment or a PI (an entity reference: Unsupported). */
static int
visited(xmlNode *node, xmlNode **out)
{
    for (; node; node = node->next) {
        if (node->type == XML_ELEMENT_NODE || node->type == XML_COMMENT_NODE
                || node->type == XML_PI_NODE) {
            *out = node;
            return 0;
        }
        if (node->type == XML_ENTITY_REF_NODE) {
            PyErr_SetString(Unsupported, "an entity reference node");
            return -1;
        }
    }
    *out = NULL;
    return 0;
}

static int
walk_top(Walk *w, xmlNode *top)
{
    int enter = start(w, top);
    xmlNode *node = top, *next;
    if (enter < 0)
        return -1;
    for (;;) {
        next = NULL;
        if (enter && node->type == XML_ELEMENT_NODE && visited(node->children, &next) < 0)
            return -1;
        if (!next) {
            /* back off: end events up to an element with a next sibling */
            for (;;) {
                if (node->type == XML_ELEMENT_NODE) {
                    Tag *closed = pop(w);
                    if (tail(w, node, closed) < 0)
                        return -1;
                }
                if (node == top)
                    return 0;
                if (visited(node->next, &next) < 0)
                    return -1;
                if (next)
                    break;
                node = node->parent;
            }
        }
        node = next;
        if (node->type == XML_ELEMENT_NODE) {
            enter = start(w, node);
            if (enter < 0)
                return -1;
        } else {  /* a comment or a PI: its tail is text of the element around it */
            enter = 0;
            if (tail(w, node, NULL) < 0)
                return -1;
        }
    }
}

static PyObject *
walk(PyObject *self, PyObject *args)
{
    PyObject *root, *skip, *config, *element_type;
    if (!PyArg_ParseTuple(args, "OOO!:walk", &root, &skip, &PyTuple_Type, &config))
        return NULL;
    Walk w;
    memset(&w, 0, sizeof(w));
    w.skip = skip;
    if (!PyArg_ParseTuple(config, "OO!O!OOUnnnn:config", &element_type,
                          &PyFrozenSet_Type, &w.block_tags, &PyDict_Type, &w.kinds,
                          &w.ancestor_set, &w.block_type, &w.p_kind,
                          &w.max_attr, &w.max_path, &w.max_words_above, &w.max_words))
        return NULL;
    if (!PyType_Check(element_type) || !PyType_Check(w.block_type)
            || !PyObject_TypeCheck(root, (PyTypeObject *)element_type)) {
        PyErr_SetString(PyExc_TypeError, "walk() takes an lxml element");
        return NULL;
    }
    if (w.max_path < 1) {
        PyErr_SetString(PyExc_ValueError, "the path must keep a level");
        return NULL;
    }
    if (w.max_words < 0 || w.max_words > MAX_WORDS) {
        PyErr_SetString(PyExc_ValueError, "words kept per element: 0 to 64");
        return NULL;
    }
    xmlNode *first = ((struct LxmlElement *)root)->_c_node;
    if (!first) {
        PyErr_SetString(PyExc_ValueError, "an element without its node");
        return NULL;
    }
    /* Element.get reads a default a DTD declares for an attribute the element lacks (an
     * XML parse's <!ATTLIST>; an HTML parse keeps none): such a tree is the Python walk's */
    xmlDoc *doc = first->doc;
    if (doc && ((doc->intSubset && doc->intSubset->attributes)
                || (doc->extSubset && doc->extSubset->attributes))) {
        PyErr_SetString(Unsupported, "a DTD declaring attributes");
        return NULL;
    }
    w.blocks = PyList_New(0);
    int failed = !w.blocks;
    /* (the walk makes no cycles: the collector, which would visit every tuple and set
     * made so far a few times over, waits until it is done) */
    int collecting = PyGC_Disable();
    /* the document's top elements: the root and the elements after it */
    for (xmlNode *top = first; top && !failed; top = top->next)
        if (top->type == XML_ELEMENT_NODE)
            failed = walk_top(&w, top) < 0;
    if (!failed && w.n_pieces)
        failed = flush(&w) < 0;
    if (collecting)
        PyGC_Enable();
    while (w.depth_used)
        pop(&w);
    for (int k = 0; k < 5; k++)
        Py_XDECREF(w.place[k]);
    for (Py_ssize_t k = 0; k < w.tags.cap; k++) {
        Tag *tag = w.tags.slot[k];
        if (tag) {
            Py_DECREF(tag->tag);
            Py_DECREF(tag->kind);
            PyMem_Free(tag);
        }
    }
    PyMem_Free(w.tags.slot);
    PyMem_Free(w.stack);
    PyMem_Free(w.pieces.data);
    PyMem_Free(w.text.data);
    PyMem_Free(w.scratch.data);
    PyMem_Free(w.names.data);
    name_cache_free(&w.words);
    PyMem_Free(w.links.slot);
    if (failed)
        Py_CLEAR(w.blocks);
    return w.blocks;
}

static PyObject *
split_names(PyObject *self, PyObject *args)
{
    PyObject *names;
    Py_ssize_t max_words;
    if (!PyArg_ParseTuple(args, "Un:split_names", &names, &max_words))
        return NULL;
    if (max_words < 0 || max_words > MAX_WORDS) {
        PyErr_SetString(PyExc_ValueError, "words kept per element: 0 to 64");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(names);
    if (PyUnicode_IS_ASCII(names))
        return split_words(PyUnicode_1BYTE_DATA(names), n, max_words);
    /* a character beyond ASCII is a byte that parts words, as in the UTF-8 the walk reads */
    unsigned char *s = PyMem_Malloc(n ? n : 1);
    if (!s)
        return PyErr_NoMemory();
    int kind = PyUnicode_KIND(names);
    const void *data = PyUnicode_DATA(names);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        s[i] = ch < 0x80 ? (unsigned char)ch : 0x80;
    }
    PyObject *words = split_words(s, n, max_words);
    PyMem_Free(s);
    return words;
}

static PyMethodDef methods[] = {
    {"walk", walk, METH_VARARGS,
     "walk(root, skip, config): html._walk(root, skip) of an lxml element, compiled."},
    {"split_names", split_names, METH_VARARGS,
     "split_names(names, max_words): html._split_names(names) with at most max_words words, "
     "compiled."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_dom",
    "The DOM walk of clean_corpus_plugins.boilerplate.html, compiled.", -1, methods,
};

PyMODINIT_FUNC
PyInit__dom(void)
{
    PyObject *m = PyModule_Create(&module);
    if (!m)
        return NULL;
    Unsupported = PyErr_NewException("clean_corpus_plugins.boilerplate._dom.Unsupported",
                                     PyExc_ValueError, NULL);
    s_space = PyUnicode_InternFromString(" ");
    s_empty = PyTuple_New(0);
    int failed = !Unsupported || !s_space || !s_empty;
    if (failed || PyModule_AddObjectRef(m, "Unsupported", Unsupported) < 0
            || PyModule_AddStringConstant(m, "LXML_VERSION", LXML_VERSION_STRING) < 0
            || PyModule_AddIntConstant(m, "LIBXML_VERSION", LIBXML_VERSION) < 0)
        Py_CLEAR(m);
    return m;
}
