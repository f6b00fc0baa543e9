/* The DOM walk of html._walk, compiled: the same blocks, field by field, in the same order,
 * with the same serial ids (html._python_walk is the specification and the fallback); and
 * the HTML columns of the blocks (html._python_html_features, the same bytes; see "the
 * HTML columns" below).
 *
 *     blocks = walk(root, skip, config)
 *     html_columns(blocks, words_of, n_words, out, values, config)
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
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <libxml/tree.h>
#include <lxml-version.h>
#include "lxml.etree.h"
#include "_log_of.h"

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

/* Room for n more bytes past b->len. */
static int
buffer_reserve(Buffer *b, Py_ssize_t n)
{
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
    return 0;
}

static int
buffer_add(Buffer *b, const void *data, Py_ssize_t n)
{
    if (n <= 0)   /* (nothing to copy: data and b->data may both be NULL) */
        return 0;
    if (buffer_reserve(b, n) < 0)
        return -1;
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
    PyObject_GC_UnTrack(words);   /* (strings only: no cycle; see untracked below) */
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

/* A place's tuples and sets hold strings, numbers and tuples of strings only, and cannot
 * change: they can be in no reference cycle, so the collector need not visit them (it
 * would, a few times over, for every page: the blocks hold thousands). A tuple of such
 * objects is what the collector untracks itself when it first meets one; a frozen set it
 * leaves tracked, though the same holds. */
static void
untracked(PyObject *place[5])
{
    for (int k = 0; k < 5; k++)
        PyObject_GC_UnTrack(place[k]);
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
        untracked(top->place);
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
        untracked(e->place);
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
    Py_ssize_t n = w->pieces.len, i = 0, chars = 0, used = 0;
    int alnum = 0, gap = 0;
    /* " ".join(text.split()), its length and str.isalnum of a char: the text is at most
     * the pieces (a space is put for a run of white space), written in place */
    w->text.len = 0;
    if (buffer_reserve(&w->text, n + 1) < 0)
        return -1;
    unsigned char *out = w->text.data;
    while (i < n) {
        /* (most characters: one byte, read without decoding, kept without a copy call) */
        Py_ssize_t at = i;
        Py_UCS4 ch = s[i] < 0x80 ? s[i++] : next_char(s, n, &i);
        if (Py_UNICODE_ISSPACE(ch)) {
            gap = 1;
            continue;
        }
        if (gap && used) {
            out[used++] = ' ';
            chars++;
        }
        gap = 0;
        if (i - at == 1) {
            out[used++] = s[at];
        } else {
            memcpy(out + used, s + at, i - at);
            used += i - at;
        }
        chars++;
        if (!alnum)
            alnum = ch < 0x80 ? (unsigned char)((ch | 0x20) - 'a') < 26
                                || (unsigned char)(ch - '0') < 10
                              : Py_UNICODE_ISALNUM(ch) != 0;
    }
    w->text.len = used;
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

/* ------------------------------------------------------------------ the HTML columns */
/* html._python_html_features, compiled: the columns of a page's DomBlocks, each value
 * given by the same operations on the same doubles (a division, a table's value, the
 * C library's log through Python's math function past the table, sums in the same order),
 * written into ``out``. The depth against the page's prose (two pairwise sums of numpy's)
 * is left to the caller: the blocks' characters, link densities and depths are written
 * into ``values`` for it. A block not as the walks make them (a field of another type, a
 * negative or huge count, more ancestors than a path keeps) raises Unsupported before any
 * column is written, and the caller computes the page's columns in Python. */

/* Bounds of a count read from a block (exact in a double, a whole number numpy's int64
 * reads back), and of an element id. */
#define COUNT_MAX ((long long)1 << 40)

typedef struct {
    Py_ssize_t chars, spaces;
    long long link_chars, links, depth;
    PyObject *tag, *path, *names, *ancestors, *tags_above, *words_above;   /* owned */
} Row;

static PyObject *a_text, *a_tag, *a_link_chars, *a_links, *a_depth, *a_path, *a_names,
                *a_ancestors, *a_tags_above, *a_words_above;   /* the DomBlock fields */

static int
unsupported(const char *what)
{
    PyErr_SetString(Unsupported, what);
    return -1;
}

/* A whole number 0 to ``max`` in *value: 0, or -1 with Unsupported (saying ``what``) or
 * another error set. */
static int
whole_number(PyObject *v, long long max, const char *what, long long *value)
{
    int overflow = 0;
    long long x = PyLong_Check(v) ? PyLong_AsLongLongAndOverflow(v, &overflow) : -1;
    if (x == -1 && PyErr_Occurred())
        return -1;
    if (!PyLong_Check(v) || overflow || x < 0 || x > max)
        return unsupported(what);
    *value = x;
    return 0;
}

/* A whole-number field of a block, 0 to COUNT_MAX. */
static int
read_count(PyObject *block, PyObject *name, long long *value)
{
    PyObject *v = PyObject_GetAttr(block, name);
    if (!v)
        return -1;
    int failed = whole_number(v, COUNT_MAX, "a count of a block that is no whole number "
                                            "the walks give", value);
    Py_DECREF(v);
    return failed;
}

/* A field of a block that must pass ``check``, kept in *out (a new reference). */
static int
read_field(PyObject *block, PyObject *name, int (*check)(PyObject *), PyObject **out)
{
    PyObject *v = PyObject_GetAttr(block, name);
    if (!v)
        return -1;
    if (!check(v)) {
        Py_DECREF(v);
        return unsupported("a field of a block of another type than the walks give");
    }
    *out = v;
    return 0;
}

static int is_str(PyObject *v) { return PyUnicode_CheckExact(v); }
static int is_tuple(PyObject *v) { return PyTuple_Check(v); }
static int is_set(PyObject *v) { return PyFrozenSet_Check(v); }

/* What the columns read of a block, checked. */
static int
read_row(PyObject *block, Row *row, Py_ssize_t near_levels, Py_ssize_t max_ancestors)
{
    PyObject *text;
    if (read_field(block, a_text, is_str, &text) < 0)
        return -1;
    /* len(text) and text.count(" ") */
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), spaces = 0;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_1BYTE_KIND) {
        const char *s = data, *end = s + n;
        while ((s = memchr(s, ' ', end - s)) != NULL) {
            spaces++;
            s++;
        }
    } else {
        for (Py_ssize_t i = 0; i < n; i++)
            spaces += PyUnicode_READ(kind, data, i) == ' ';
    }
    Py_DECREF(text);
    row->chars = n;
    row->spaces = spaces;
    if (read_count(block, a_link_chars, &row->link_chars) < 0
            || read_count(block, a_links, &row->links) < 0
            || read_count(block, a_depth, &row->depth) < 0
            || read_field(block, a_tag, is_str, &row->tag) < 0
            || read_field(block, a_path, is_tuple, &row->path) < 0
            || read_field(block, a_names, is_tuple, &row->names) < 0
            || read_field(block, a_ancestors, is_tuple, &row->ancestors) < 0
            || read_field(block, a_tags_above, is_set, &row->tags_above) < 0
            || read_field(block, a_words_above, is_set, &row->words_above) < 0)
        return -1;
    Py_ssize_t levels = PyTuple_GET_SIZE(row->names);
    for (Py_ssize_t k = 0; k < levels && k < near_levels; k++)
        if (!PyTuple_Check(PyTuple_GET_ITEM(row->names, k)))
            return unsupported("class/id words of a level that are no tuple");
    Py_ssize_t count = PyTuple_GET_SIZE(row->ancestors);
    if (count > max_ancestors)
        return unsupported("more ancestors than a path keeps");
    for (Py_ssize_t k = 0; k < count; k++) {
        long long id;
        if (whole_number(PyTuple_GET_ITEM(row->ancestors, k), LLONG_MAX,
                         "an element id that is no whole number of the walks", &id) < 0)
            return -1;
    }
    return 0;
}

static void
row_clear(Row *row)
{
    Py_CLEAR(row->tag);
    Py_CLEAR(row->path);
    Py_CLEAR(row->names);
    Py_CLEAR(row->ancestors);
    Py_CLEAR(row->tags_above);
    Py_CLEAR(row->words_above);
}

/* The columns of each distinct key of an indicator group (a set of tags, the names of the
 * levels near a block, a set of words), found once per key object: blocks of one element
 * share their tuples and sets. A fixed table of at least twice as many slots as blocks
 * (there are no more keys than blocks); the columns of each key one run of ``cols``. */
typedef struct {
    PyObject *key;
    Py_ssize_t at, count;
} Known;

/* The columns of the str items met in one dict of columns (by the object: the blocks'
 * sets and tuples share their words), -1 for none; at most half as many as the slots, the
 * others looked up each time. */
typedef struct {
    PyObject *item;
    Py_ssize_t col;
} Word;

typedef struct {
    Word *slot;
    size_t mask;
    Py_ssize_t used;
} WordColumns;

typedef struct {
    Known *slot;
    size_t mask;
    Buffer cols;   /* Py_ssize_t columns */
    WordColumns *words;
} KeyColumns;

#define COLS(k) ((Py_ssize_t *)(k)->cols.data)
#define USED(k) ((k)->cols.len / (Py_ssize_t)sizeof(Py_ssize_t))

static int
key_columns_init(KeyColumns *k, Py_ssize_t blocks)
{
    size_t cap = 16;
    while (cap < 2 * (size_t)blocks)
        cap *= 2;
    k->slot = PyMem_Calloc(cap, sizeof(Known));
    k->mask = cap - 1;
    if (!k->slot) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void
key_columns_free(KeyColumns *k)
{
    PyMem_Free(k->slot);
    PyMem_Free(k->cols.data);
}

static int
add_column(KeyColumns *k, Py_ssize_t col)
{
    return buffer_add(&k->cols, &col, sizeof(col));
}

/* A column (a value of a dict of columns 0 to width - 1) added to the key's run. */
static int
add_column_value(KeyColumns *k, PyObject *col, Py_ssize_t width)
{
    Py_ssize_t c = PyLong_AsSsize_t(col);
    if (c == -1 && PyErr_Occurred())
        return -1;
    if (c < 0 || c >= width) {
        PyErr_SetString(PyExc_ValueError, "a column out of its group");
        return -1;
    }
    return add_column(k, c);
}

/* The column of ``item`` in ``columns`` added to the key's run; none when it has none. A
 * str (no code of its own runs in the lookup, and the rows hold it) is looked up once. */
static int
add_column_of(KeyColumns *k, PyObject *columns, PyObject *item, Py_ssize_t width)
{
    WordColumns *words = k->words;
    size_t h = 0;
    int cached = PyUnicode_CheckExact(item);
    if (cached) {
        h = ((size_t)item >> 4) & words->mask;
        for (; words->slot[h].item; h = (h + 1) & words->mask)
            if (words->slot[h].item == item)
                return words->slot[h].col < 0 ? 0 : add_column(k, words->slot[h].col);
    }
    PyObject *col = PyDict_GetItemWithError(columns, item);
    if (!col && PyErr_Occurred())
        return -1;
    Py_ssize_t before = USED(k);
    if (col && add_column_value(k, col, width) < 0)
        return -1;
    if (cached && 2 * (size_t)(words->used + 1) <= words->mask + 1) {
        words->slot[h].item = item;
        words->slot[h].col = col ? COLS(k)[before] : -1;
        words->used++;
    }
    return 0;
}

/* Every item of a set, by its column in ``columns``; a set larger than ``columns`` is
 * searched for each of its keys instead (the same items found). */
static int
add_set_columns(KeyColumns *k, PyObject *set, PyObject *columns, Py_ssize_t width)
{
    if (PySet_GET_SIZE(set) > PyDict_GET_SIZE(columns)) {
        Py_ssize_t pos = 0;
        PyObject *item, *col;
        while (PyDict_Next(columns, &pos, &item, &col)) {
            int in = PySet_Contains(set, item);
            if (in < 0 || (in && add_column_value(k, col, width) < 0))
                return -1;
        }
        return 0;
    }
#if PY_VERSION_HEX < 0x030D0000
    /* (the set's entries read in place, no iterator: the Python of 3.13 keeps this
     * function to itself) */
    Py_ssize_t pos = 0;
    PyObject *item;
    Py_hash_t hash;
    while (_PySet_NextEntry(set, &pos, &item, &hash))
        if (add_column_of(k, columns, item, width) < 0)
            return -1;
    return 0;
#else
    PyObject *it = PyObject_GetIter(set), *item;
    if (!it)
        return -1;
    while ((item = PyIter_Next(it)) != NULL) {
        int failed = add_column_of(k, columns, item, width) < 0;
        Py_DECREF(item);
        if (failed) {
            Py_DECREF(it);
            return -1;
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
#endif
}

enum { SET_KEY, LEVELS_KEY };

/* The columns of ``key`` (found once per key object): *at and *count give its run. */
static int
key_columns(KeyColumns *k, PyObject *key, int how, Py_ssize_t levels, PyObject *columns,
            Py_ssize_t width, Py_ssize_t *at, Py_ssize_t *count)
{
    size_t h = ((size_t)key >> 4) & k->mask;
    while (k->slot[h].key) {
        if (k->slot[h].key == key) {
            *at = k->slot[h].at;
            *count = k->slot[h].count;
            return 0;
        }
        h = (h + 1) & k->mask;
    }
    Py_ssize_t start = USED(k);
    if (how == SET_KEY) {
        if (add_set_columns(k, key, columns, width) < 0)
            return -1;
    } else {   /* the words of the key's first ``levels`` levels (tuples, checked) */
        Py_ssize_t n = PyTuple_GET_SIZE(key);
        for (Py_ssize_t j = 0; j < n && j < levels; j++) {
            PyObject *level = PyTuple_GET_ITEM(key, j);
            for (Py_ssize_t w = 0; w < PyTuple_GET_SIZE(level); w++)
                if (add_column_of(k, columns, PyTuple_GET_ITEM(level, w), width) < 0)
                    return -1;
        }
    }
    k->slot[h].key = key;   /* (borrowed: the rows hold the keys until the end) */
    k->slot[h].at = *at = start;
    k->slot[h].count = *count = USED(k) - start;
    return 0;
}

/* An element id's dense number among a page's elements (ids of the blocks' ancestors). */
typedef struct {
    long long *id;      /* -1: a free slot */
    Py_ssize_t *index;
    size_t mask;
    Py_ssize_t used;
} Elements;

static Py_ssize_t
element_index(Elements *e, long long id)
{
    size_t h = (size_t)(((unsigned long long)id * 0x9E3779B97F4A7C15ULL) >> 20) & e->mask;
    while (e->id[h] != -1) {
        if (e->id[h] == id)
            return e->index[h];
        h = (h + 1) & e->mask;
    }
    e->id[h] = id;
    return e->index[h] = e->used++;
}

typedef struct {
    /* config: columns of the owner's tags, of the tags above; where each group starts */
    PyObject *tag_columns, *ancestor_columns, *words_of;
    Py_ssize_t tags_at, ancestors_at, container_at, near_at, near_levels, max_path;
    LogOf log1p, log;
    /* the page */
    Py_ssize_t n, n_words;
    char *out;
    Py_ssize_t row_stride, col_stride;
    double *chars, *link, *depth;   /* ``values``' three rows */
    Row *rows;
} Columns;

#define AT(c, i, j) (*(double *)((c)->out + (i) * (c)->row_stride + (j) * (c)->col_stride))

/* Ones where each block's key in the group names a column (columns counted from
 * ``start``). */
static int
indicators(Columns *c, Py_ssize_t start, Py_ssize_t width, size_t field, int how,
           PyObject *columns, WordColumns *words)
{   /* (``field``: where in a Row the group's key is, its offsetof) */
    KeyColumns k;
    memset(&k, 0, sizeof(k));
    k.words = words;
    if (key_columns_init(&k, c->n) < 0)
        return -1;
    for (Py_ssize_t i = 0; i < c->n; i++) {
        PyObject *key = *(PyObject **)((char *)&c->rows[i] + field);
        Py_ssize_t at, count;
        if (key_columns(&k, key, how, c->near_levels, columns, width, &at, &count) < 0) {
            key_columns_free(&k);
            return -1;
        }
        for (Py_ssize_t j = 0; j < count; j++)
            AT(c, i, start + COLS(&k)[at + j]) = 1.0;
    }
    key_columns_free(&k);
    return 0;
}

/* The parent and grandparent containers' characters, link density and blocks: sums over
 * the (block, ancestor) pairs in their order, as numpy's bincount adds them. */
static int
containers(Columns *c)
{
    Py_ssize_t pairs = 0;
    for (Py_ssize_t i = 0; i < c->n; i++)
        pairs += PyTuple_GET_SIZE(c->rows[i].ancestors);
    if (!pairs)
        return 0;
    size_t cap = 16;
    while (cap < 2 * (size_t)pairs)
        cap *= 2;
    Elements e = {PyMem_Malloc(cap * sizeof(long long)),
                  PyMem_Malloc(cap * sizeof(Py_ssize_t)), cap - 1, 0};
    Py_ssize_t *of_pair = PyMem_Malloc(pairs * sizeof(Py_ssize_t));
    double *chars = PyMem_Calloc(pairs, sizeof(double));
    double *links = PyMem_Calloc(pairs, sizeof(double));
    long long *blocks = PyMem_Calloc(pairs, sizeof(long long));
    /* an element's three values, once it is a block's container (past the tables, the
     * logs are calls) */
    double (*found)[3] = PyMem_Malloc(pairs * sizeof(*found));
    char *known = PyMem_Calloc(pairs, 1);
    int failed = -1;
    if (!e.id || !e.index || !of_pair || !chars || !links || !blocks || !found || !known) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t h = 0; h < cap; h++)
        e.id[h] = -1;
    Py_ssize_t p = 0;
    for (Py_ssize_t i = 0; i < c->n; i++) {
        PyObject *ancestors = c->rows[i].ancestors;
        double block_chars = (double)c->rows[i].chars;
        double block_links = (double)c->rows[i].link_chars;
        for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(ancestors); j++, p++) {
            /* (read as int64 by read_row: no error here) */
            long long id = PyLong_AsLongLong(PyTuple_GET_ITEM(ancestors, j));
            Py_ssize_t x = of_pair[p] = element_index(&e, id);
            chars[x] += block_chars;
            links[x] += block_links;
            blocks[x]++;
        }
    }
    p = 0;
    Py_ssize_t col = c->container_at;
    for (Py_ssize_t i = 0; i < c->n; i++) {
        Py_ssize_t count = PyTuple_GET_SIZE(c->rows[i].ancestors), rank = 0;
        /* from the outermost remembered ancestor inwards: the first two shared ones */
        for (Py_ssize_t j = count - 1; j >= 0 && rank < 2; j--) {
            Py_ssize_t x = of_pair[p + j];
            if (blocks[x] <= 1)
                continue;
            if (!known[x]) {
                double total = chars[x];
                if (log_of(&c->log1p, (long long)total, &found[x][0]) < 0
                        || log_of(&c->log1p, blocks[x], &found[x][2]) < 0)
                    goto done;
                found[x][1] = links[x] / (total > 1.0 ? total : 1.0);
                known[x] = 1;
            }
            for (int v = 0; v < 3; v++)
                AT(c, i, col + 3 * rank + v) = found[x][v];
            rank++;
        }
        p += count;
    }
    failed = 0;
done:
    PyMem_Free(e.id);
    PyMem_Free(e.index);
    PyMem_Free(of_pair);
    PyMem_Free(chars);
    PyMem_Free(links);
    PyMem_Free(blocks);
    PyMem_Free(found);
    PyMem_Free(known);
    return failed;
}

/* path[:3] of two blocks equal, as tuples compare */
static int
same_start(PyObject *a, PyObject *b)
{
    Py_ssize_t na = PyTuple_GET_SIZE(a), nb = PyTuple_GET_SIZE(b);
    na = na < 3 ? na : 3;
    nb = nb < 3 ? nb : 3;
    if (na != nb)
        return 0;
    for (Py_ssize_t k = 0; k < na; k++) {
        int eq = PyObject_RichCompareBool(PyTuple_GET_ITEM(a, k), PyTuple_GET_ITEM(b, k),
                                          Py_EQ);
        if (eq <= 0)
            return eq;
    }
    return 1;
}

static int
fill_columns(Columns *c)
{
    Py_ssize_t n = c->n;
    for (Py_ssize_t i = 0; i < n; i++) {
        Row *r = &c->rows[i];
        double chars = (double)r->chars, value;
        double link = (double)r->link_chars / (chars > 1.0 ? chars : 1.0);
        c->chars[i] = chars;
        c->link[i] = link;
        c->depth[i] = (double)r->depth;
        AT(c, i, 0) = link;
        if (log_of(&c->log1p, r->links, &value) < 0)
            return -1;
        AT(c, i, 1) = value;
        AT(c, i, 2) = (double)r->links / ((double)r->spaces + 1.0);
        AT(c, i, 3) = (double)r->depth;
        /* the owner's tag */
        PyObject *col = PyDict_GetItemWithError(c->tag_columns, r->tag);
        if (!col && PyErr_Occurred())
            return -1;
        if (col) {
            Py_ssize_t k = PyLong_AsSsize_t(col);
            if (k == -1 && PyErr_Occurred())
                return -1;
            if (k < 0 || k >= c->ancestors_at - c->tags_at) {
                PyErr_SetString(PyExc_ValueError, "a column out of its group");
                return -1;
            }
            AT(c, i, c->tags_at + k) = 1.0;
        }
    }
    /* (the tags and the class/id words each have their table of columns by the object) */
    Word tag_slots[64], word_slots[2048];
    WordColumns tags = {tag_slots, 63, 0}, words = {word_slots, 2047, 0};
    memset(tag_slots, 0, sizeof(tag_slots));
    memset(word_slots, 0, sizeof(word_slots));
    if (indicators(c, c->ancestors_at, c->container_at - c->ancestors_at,
                   offsetof(Row, tags_above), SET_KEY, c->ancestor_columns, &tags) < 0)
        return -1;
    if (c->n_words && (indicators(c, c->near_at, c->n_words, offsetof(Row, names),
                                  LEVELS_KEY, c->words_of, &words) < 0
                       || indicators(c, c->near_at + c->n_words, c->n_words,
                                     offsetof(Row, words_above), SET_KEY, c->words_of,
                                     &words) < 0))
        return -1;
    if (containers(c) < 0)
        return -1;
    /* the neighbours' link density, and the mean of the three around each block (the
     * running sum as numpy's cumsum adds it) */
    Py_ssize_t col = c->container_at + 6;
    double *cum = PyMem_Malloc((n + 1) * sizeof(double));
    if (!cum) {
        PyErr_NoMemory();
        return -1;
    }
    cum[0] = 0.0;
    cum[1] = c->link[0];
    for (Py_ssize_t i = 1; i < n; i++)
        cum[i + 1] = cum[i] + c->link[i];
    for (Py_ssize_t i = 0; i < n; i++) {
        AT(c, i, col) = i ? c->link[i - 1] : -1.0;
        AT(c, i, col + 1) = i + 1 < n ? c->link[i + 1] : -1.0;
        Py_ssize_t lo = i ? i - 1 : 0, hi = i + 2 < n ? i + 2 : n;
        AT(c, i, col + 2) = (cum[hi] - cum[lo]) / (double)(hi - lo);
    }
    PyMem_Free(cum);
    /* the runs of neighbouring blocks with the same tag and first three path tags */
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 1; i <= n; i++) {
        int same = 0;
        if (i < n) {
            same = PyObject_RichCompareBool(c->rows[i].tag, c->rows[i - 1].tag, Py_EQ);
            if (same > 0)
                same = same_start(c->rows[i].path, c->rows[i - 1].path);
            if (same < 0)
                return -1;
        }
        if (same)
            continue;
        double value;
        if (log_of(&c->log, i - start, &value) < 0)
            return -1;
        for (Py_ssize_t j = start; j < i; j++)
            AT(c, j, col + 3) = value;
        start = i;
    }
    return 0;
}

static PyObject *
html_columns(PyObject *self, PyObject *args)
{
    PyObject *blocks, *out_array, *values_array, *config, *log1p_table, *log_table;
    Columns c;
    memset(&c, 0, sizeof(c));
    if (!PyArg_ParseTuple(args, "OO!nOOO!:html_columns", &blocks, &PyDict_Type,
                          &c.words_of, &c.n_words, &out_array, &values_array,
                          &PyTuple_Type, &config))
        return NULL;
    if (!PyArg_ParseTuple(config, "O!O!nnnnnnOOOO:config", &PyDict_Type, &c.tag_columns,
                          &PyDict_Type, &c.ancestor_columns, &c.tags_at, &c.ancestors_at,
                          &c.container_at, &c.near_at, &c.near_levels, &c.max_path,
                          &log1p_table, &c.log1p.function, &log_table, &c.log.function))
        return NULL;
    if (c.n_words < 0 || !(c.tags_at >= 5 && c.tags_at <= c.ancestors_at
                           && c.ancestors_at <= c.container_at
                           && c.container_at + 10 <= c.near_at) || c.max_path < 0) {
        PyErr_SetString(PyExc_ValueError, "columns of groups out of order");
        return NULL;
    }
    /* (a copy: reading a field of an object of another kind may run code that changes
     * the list) */
    PyObject *seq = PySequence_Tuple(blocks);
    if (!seq)
        return NULL;
    c.n = PyTuple_GET_SIZE(seq);
    Py_buffer out = {0}, values = {0}, t1 = {0}, t2 = {0};
    PyObject *result = NULL;
    if (PyObject_GetBuffer(out_array, &out, PyBUF_STRIDES | PyBUF_WRITABLE | PyBUF_FORMAT) < 0)
        goto release;
    if (out.ndim != 2 || out.itemsize != sizeof(double) || !out.format
            || strcmp(out.format, "d") != 0 || out.shape[0] != c.n
            || out.shape[1] != c.near_at + 2 * c.n_words) {
        PyErr_SetString(PyExc_ValueError, "out is a float64 matrix of a row a block and "
                                          "the columns of the vocabulary");
        goto release;
    }
    if (PyObject_GetBuffer(values_array, &values, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE
                                                  | PyBUF_FORMAT) < 0)
        goto release;
    if (values.ndim != 2 || values.itemsize != sizeof(double) || !values.format
            || strcmp(values.format, "d") != 0 || values.shape[0] != 3
            || values.shape[1] != c.n) {
        PyErr_SetString(PyExc_ValueError, "values is a float64 matrix of three rows");
        goto release;
    }
    if (table_of(log1p_table, &t1, &c.log1p, c.log1p.function) < 0
            || table_of(log_table, &t2, &c.log, c.log.function) < 0)
        goto release;
    c.out = out.buf;
    c.row_stride = out.strides[0];
    c.col_stride = out.strides[1];
    c.chars = values.buf;
    c.link = c.chars + c.n;
    c.depth = c.link + c.n;
    if (c.n == 0) {
        result = Py_NewRef(Py_None);
        goto release;
    }
    c.rows = PyMem_Calloc(c.n, sizeof(Row));
    if (!c.rows) {
        PyErr_NoMemory();
        goto release;
    }
    /* every block read and checked before a column is written */
    int failed = 0;
    for (Py_ssize_t i = 0; i < c.n && !failed; i++)
        failed = read_row(PyTuple_GET_ITEM(seq, i), &c.rows[i], c.near_levels,
                          c.max_path + 1) < 0;
    if (!failed && fill_columns(&c) == 0)
        result = Py_NewRef(Py_None);
    for (Py_ssize_t i = 0; i < c.n; i++)
        row_clear(&c.rows[i]);
    PyMem_Free(c.rows);
release:
    if (out.obj)
        PyBuffer_Release(&out);
    if (values.obj)
        PyBuffer_Release(&values);
    if (t1.obj)
        PyBuffer_Release(&t1);
    if (t2.obj)
        PyBuffer_Release(&t2);
    Py_DECREF(seq);
    return result;
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
    {"html_columns", html_columns, METH_VARARGS,
     "html_columns(blocks, words_of, n_words, out, values, config): html._python_html_"
     "features(blocks, vocabulary, out) but the depth against the page's prose, compiled; "
     "the blocks' characters, link densities and depths written into values."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_dom",
    "The DOM walk of clean_corpus_plugins.boilerplate.html and its HTML columns, compiled.",
    -1, methods,
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
    PyObject **fields[] = {&a_text, &a_tag, &a_link_chars, &a_links, &a_depth, &a_path,
                           &a_names, &a_ancestors, &a_tags_above, &a_words_above};
    const char *names[] = {"text", "tag", "link_chars", "links", "depth", "path", "names",
                           "ancestors", "tags_above", "words_above"};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !failed; k++)
        failed = (*fields[k] = PyUnicode_InternFromString(names[k])) == NULL;
    if (failed || PyModule_AddObjectRef(m, "Unsupported", Unsupported) < 0
            || PyModule_AddStringConstant(m, "LXML_VERSION", LXML_VERSION_STRING) < 0
            || PyModule_AddIntConstant(m, "LIBXML_VERSION", LIBXML_VERSION) < 0)
        Py_CLEAR(m);
    return m;
}
