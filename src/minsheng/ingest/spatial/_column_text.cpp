/* Arrow text columns to numbers and numbers to text, in C++ with the GIL released.
 *
 * Two steps of ``minsheng access`` on a million points, each measured as one of the
 * largest of the whole run once the kernels were fast:
 *
 * csv_lines: the scores written as CSV. Arrow's CSV writer formats each double with
 * double-conversion's Grisu3 (about 140 ns a value on the 2-core machine), which left
 * 70-100 ms of a half-second run even with the rows cut into one part per core. The C++
 * standard library's std::to_chars writes the same shortest text that reads back to the
 * same double (libstdc++ implements it with Ryu), about twice as fast here. No maintained
 * Python package offers it over NumPy or Arrow buffers, so this file is the glue: it
 * walks the columns a row at a time and writes each value with to_chars, or copies text
 * as it is. Only what needs no quoting is written here: numbers, and text the caller has
 * checked holds no comma, quote or line break; the caller keeps Arrow's writer for
 * everything else, so the two agree on what a field holds and differ only in how a
 * number is spelled (to_chars picks whichever of 0.000001 and 1e-06 is shorter). A null
 * is an empty field; a NaN is ``nan`` and infinities ``inf`` and ``-inf``, as Arrow
 * writes them.
 *
 * integers: the ids of a points file, when every one is an integer written canonically,
 * as int64. Arrow's cast does the parse, but it is the one kernel a run would load
 * Arrow's compute library for (pyarrow._compute and libarrow_compute: 10-20 ms of
 * loading, under the GIL, while the command still imports), and the canonical form
 * needed a second pass over the texts. Here it is one pass, using std::from_chars for
 * the number.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

enum class Kind { number, integer, text32, text64 };

/* One column as its Arrow buffers; the views keep them alive and readable. */
struct Column {
    Kind kind;
    Py_ssize_t offset = 0;  // the array's own offset into its buffers (a slice)
    Py_buffer values{};     // doubles, int64s, or the characters of text
    Py_buffer offsets{};    // text only: where each text starts (int32 or int64)
    Py_buffer valid{};      // a validity bitmap, or no buffer (obj == NULL) when no nulls
};

/* The columns whose buffers are viewed, each view released when this goes out of scope
 * (always with the GIL held: after Py_END_ALLOW_THREADS). */
struct Held {
    std::vector<Column> columns;
    Held() = default;
    Held(const Held &) = delete;
    Held &operator=(const Held &) = delete;
    ~Held() {
        for (Column &c : columns) {
            for (Py_buffer *b : {&c.values, &c.offsets, &c.valid}) {
                if (b->obj != nullptr) {
                    PyBuffer_Release(b);
                }
            }
        }
    }
};

bool view(PyObject *obj, Py_buffer *into) {
    if (obj == Py_None) {
        return true;
    }
    return PyObject_GetBuffer(obj, into, PyBUF_SIMPLE) == 0;
}

Py_ssize_t text_at(const Column &c, Py_ssize_t i) {
    if (c.kind == Kind::text32) {
        return static_cast<const int32_t *>(c.offsets.buf)[i];
    }
    return static_cast<const int64_t *>(c.offsets.buf)[i];
}

bool is_valid(const Column &c, Py_ssize_t row) {
    if (c.valid.obj == nullptr) {
        return true;
    }
    Py_ssize_t bit = c.offset + row;
    return (static_cast<const uint8_t *>(c.valid.buf)[bit >> 3] >> (bit & 7)) & 1;
}

/* Whether the buffers hold every row asked for, and the room the rows can take at most:
 * checked before anything is read, so a wrong description is an error, never a read out
 * of bounds. */
bool room_for(const Column &c, Py_ssize_t start, Py_ssize_t stop, Py_ssize_t *room) {
    Py_ssize_t last = c.offset + stop;
    if (c.offset < 0 || (c.valid.obj != nullptr && c.valid.len * 8 < last)) {
        return false;
    }
    switch (c.kind) {
    case Kind::number:
        *room += (stop - start) * 24;  // "-2.2250738585072014e-308": the longest shortest text
        return c.values.len >= last * 8;
    case Kind::integer:
        *room += (stop - start) * 20;  // "-9223372036854775808"
        return c.values.len >= last * 8;
    case Kind::text32:
    case Kind::text64: {
        Py_ssize_t width = c.kind == Kind::text32 ? 4 : 8;
        if (c.offsets.len < (last + 1) * width) {
            return false;
        }
        Py_ssize_t previous = text_at(c, c.offset + start);
        if (previous < 0) {
            return false;
        }
        for (Py_ssize_t i = c.offset + start + 1; i <= last; i++) {
            Py_ssize_t next = text_at(c, i);
            if (next < previous || next > c.values.len) {
                return false;
            }
            previous = next;
        }
        *room += previous - text_at(c, c.offset + start);
        return true;
    }
    }
    return false;
}

char *field(const Column &c, Py_ssize_t row, char *out, char *end) {
    if (!is_valid(c, row)) {
        return out;
    }
    Py_ssize_t i = c.offset + row;
    switch (c.kind) {
    case Kind::number: {
        double v = static_cast<const double *>(c.values.buf)[i];
        if (std::isnan(v)) {
            std::memcpy(out, "nan", 3);
            return out + 3;
        }
        return std::to_chars(out, end, v).ptr;
    }
    case Kind::integer:
        return std::to_chars(out, end, static_cast<const int64_t *>(c.values.buf)[i]).ptr;
    case Kind::text32:
    case Kind::text64: {
        Py_ssize_t from = text_at(c, i), to = text_at(c, i + 1);
        std::memcpy(out, static_cast<const char *>(c.values.buf) + from, to - from);
        return out + (to - from);
    }
    }
    return out;
}

/* csv_lines(columns, start, stop) -> bytes: rows start..stop of the columns as CSV lines, each
 * ended by "\n". A column is (kind, offset, values, offsets, validity) with kind "f"
 * (float64), "i" (int64), "s" (int32 offsets) or "l" (int64 offsets); offsets and
 * validity may be None. */
PyObject *csv_lines(PyObject *, PyObject *args) {
    PyObject *specs;
    Py_ssize_t start, stop;
    if (!PyArg_ParseTuple(args, "Onn", &specs, &start, &stop)) {
        return nullptr;
    }
    PyObject *seq = PySequence_Fast(specs, "columns must be a sequence");
    if (seq == nullptr) {
        return nullptr;
    }
    Held held;
    std::vector<Column> &columns = held.columns;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    columns.reserve(n);  // no reallocation: the views below point into these elements
    bool ok = n > 0 && start >= 0 && stop >= start;
    for (Py_ssize_t k = 0; ok && k < n; k++) {
        const char *kind;
        Column c{};
        PyObject *values, *offsets, *valid;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, k), "snOOO", &kind, &c.offset,
                              &values, &offsets, &valid)) {
            ok = false;
            break;
        }
        switch (kind[0]) {
        case 'f': c.kind = Kind::number; break;
        case 'i': c.kind = Kind::integer; break;
        case 's': c.kind = Kind::text32; break;
        case 'l': c.kind = Kind::text64; break;
        default: ok = false; continue;
        }
        bool text = c.kind == Kind::text32 || c.kind == Kind::text64;
        if (values == Py_None || (text && offsets == Py_None)) {
            ok = false;
            continue;
        }
        // kept before the views are taken, so every view taken is released
        columns.push_back(c);
        Column &kept = columns.back();
        ok = view(values, &kept.values) && (!text || view(offsets, &kept.offsets)) &&
             view(valid, &kept.valid);
    }
    Py_DECREF(seq);
    Py_ssize_t room = (stop - start) * n;  // a comma or the line's end after each field
    for (const Column &c : columns) {
        ok = ok && room_for(c, start, stop, &room);
    }
    if (!ok) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_ValueError, "columns do not describe the rows asked for");
        }
        return nullptr;
    }
    PyObject *text = PyBytes_FromStringAndSize(nullptr, room);
    if (text == nullptr) {
        return nullptr;
    }
    char *out = PyBytes_AS_STRING(text);
    char *end = out + room;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t row = start; row < stop; row++) {
        for (Py_ssize_t k = 0; k < n; k++) {
            out = field(columns[k], row, out, end);
            *out++ = k + 1 < n ? ',' : '\n';
        }
    }
    Py_END_ALLOW_THREADS
    if (_PyBytes_Resize(&text, out - PyBytes_AS_STRING(text)) != 0) {
        return nullptr;
    }
    return text;
}

/* integers(offsets, text, offset, count, wide) -> bytes | None: the int64s of ``count``
 * texts (int32 offsets, or int64 when ``wide``, from ``offset``), or None unless every
 * text is an integer written canonically: an optional ``-``, then ``0`` alone or digits
 * not starting with ``0``, within int64 (so not ``-0``, ``+1``, ``007``, `` 7`` or ````).
 * The caller checks there are no nulls. */
PyObject *integers(PyObject *, PyObject *args) {
    PyObject *offsets, *text;
    Py_ssize_t offset, count;
    int wide;
    if (!PyArg_ParseTuple(args, "OOnnp", &offsets, &text, &offset, &count, &wide)) {
        return nullptr;
    }
    Held held;
    held.columns.push_back(Column{wide ? Kind::text64 : Kind::text32, offset});
    Column &c = held.columns.back();
    if (!view(offsets, &c.offsets) || !view(text, &c.values)) {
        return nullptr;
    }
    Py_ssize_t room = 0;
    if (count < 0 || !room_for(c, 0, count, &room)) {
        PyErr_SetString(PyExc_ValueError, "offsets do not describe the texts asked for");
        return nullptr;
    }
    PyObject *out = PyBytes_FromStringAndSize(nullptr, count * 8);
    if (out == nullptr) {
        return nullptr;
    }
    auto *numbers = reinterpret_cast<int64_t *>(PyBytes_AS_STRING(out));
    const char *chars = static_cast<const char *>(c.values.buf);
    bool canonical = true;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; canonical && i < count; i++) {
        const char *first = chars + text_at(c, c.offset + i);
        const char *last = chars + text_at(c, c.offset + i + 1);
        const char *digits = first < last && *first == '-' ? first + 1 : first;
        // digits only, no leading zero but "0" itself, and no "-0"
        canonical = digits < last && (*digits != '0' || (digits + 1 == last && digits == first));
        if (canonical) {
            auto [end, error] = std::from_chars(first, last, numbers[i]);
            canonical = error == std::errc() && end == last;
        }
    }
    Py_END_ALLOW_THREADS
    if (!canonical) {
        Py_DECREF(out);
        Py_RETURN_NONE;
    }
    return out;
}

PyMethodDef methods[] = {
    {"csv_lines", csv_lines, METH_VARARGS, "Rows of Arrow columns as CSV lines (see the source)."},
    {"integers", integers, METH_VARARGS, "Canonical integer texts as int64 (see the source)."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_column_text", "Arrow text columns to numbers and back, in C++.", -1,
    methods, nullptr, nullptr, nullptr, nullptr,
};

}  // namespace

PyMODINIT_FUNC PyInit__column_text(void) { return PyModule_Create(&module); }
