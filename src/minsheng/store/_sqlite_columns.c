/* Two numeric columns of one SQLite statement, read in C through Python's own SQLite.
 *
 * The whole-country observation scan (repositories/observation_scan_sqlite.py) asks SQLite
 * for two values a row: a packed integer and the value. Python's sqlite3 module hands each
 * row over as a tuple of two new Python objects, and at 840,000 rows that hand-over cost
 * more than SQLite's own work: about 0.35 s of a 0.63 s read. This module steps the same
 * statement on the same connection and writes the two columns straight into buffers.
 *
 * Written by hand because no maintained library does this: every Arrow or NumPy reader
 * for SQLite (ADBC, connectorx, DuckDB's scanner) carries its own copy of SQLite, and a
 * second copy in one process breaks the first one's file locks (POSIX locks belong to the
 * process, and each copy keeps its own books of them). So nothing here is linked against
 * SQLite: the functions are looked up in the library Python's _sqlite3 module loaded
 * (bind), and the statement runs on that module's own connection handle, inside whatever
 * transaction the connection is in, exactly as a cursor on it would.
 *
 * A NULL in the first column (a row the packing cannot carry) returns False: the caller
 * declines at once. Anything else unexpected (a value that is not a number, an error from
 * SQLite, a handle that does not answer as the connection does) returns None: the caller
 * then reads the rows the ordinary way, which raises the proper error or declines.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

/* result and type codes of SQLite's C interface (stable since SQLite 3.0) */
enum { ROW = 100, DONE = 101, INTEGER = 1, FLOAT = 2, NULL_TYPE = 5 };

static struct {
    int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
    int (*step)(sqlite3_stmt *);
    int (*column_count)(sqlite3_stmt *);
    int (*column_type)(sqlite3_stmt *, int);
    long long (*column_int64)(sqlite3_stmt *, int);
    double (*column_double)(sqlite3_stmt *, int);
    int (*finalize)(sqlite3_stmt *);
    const char *(*db_filename)(sqlite3 *, const char *);
    int (*total_changes)(sqlite3 *);
    int (*get_autocommit)(sqlite3 *);
} api;
static int bound = 0;

/* bind(path): look SQLite's functions up in the loaded module at ``path`` (Python's
 * _sqlite3) and the libraries it depends on; False if the module does not expose them
 * (an SQLite linked in privately), and then nothing here is used. */
static PyObject *bind(PyObject *self, PyObject *args) {
    const char *path;
    if (!PyArg_ParseTuple(args, "s", &path)) {
        return NULL;
    }
    void *module = dlopen(path, RTLD_NOW | RTLD_NOLOAD); /* already loaded: never a new copy */
    if (module == NULL) {
        Py_RETURN_FALSE;
    }
    void *found[] = {
        dlsym(module, "sqlite3_prepare_v2"),     dlsym(module, "sqlite3_step"),
        dlsym(module, "sqlite3_column_count"),   dlsym(module, "sqlite3_column_type"),
        dlsym(module, "sqlite3_column_int64"),   dlsym(module, "sqlite3_column_double"),
        dlsym(module, "sqlite3_finalize"),       dlsym(module, "sqlite3_db_filename"),
        dlsym(module, "sqlite3_total_changes"),  dlsym(module, "sqlite3_get_autocommit"),
    };
    dlclose(module); /* only our reference: Python keeps the module loaded */
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
        if (found[i] == NULL) {
            Py_RETURN_FALSE;
        }
    }
    memcpy(&api, found, sizeof api);
    bound = 1;
    Py_RETURN_TRUE;
}

/* The sqlite3* of a sqlite3.Connection: CPython keeps it as the first field after the
 * object's head (Modules/_sqlite/connection.h, unchanged from 3.4 to 3.13); the caller
 * checks the type and version, and read() checks the handle answers as the connection. */
static sqlite3 *handle_of(PyObject *connection) {
    return *(sqlite3 **)((char *)connection + sizeof(PyObject));
}

/* read(connection, sql, filename, total_changes, autocommit) -> (bytes, bytes) | False | None
 *
 * The statement's first column as int64s and its second as float64s (an integer there
 * converted as NumPy converts a Python int), native byte order. ``filename``,
 * ``total_changes`` and ``autocommit`` are what the connection says of itself; a handle
 * that says otherwise is not used. */
static PyObject *read_columns(PyObject *self, PyObject *args) {
    PyObject *connection;
    const char *sql, *filename;
    int total_changes, autocommit;
    if (!PyArg_ParseTuple(args, "Ossii", &connection, &sql, &filename, &total_changes,
                          &autocommit)) {
        return NULL;
    }
    if (!bound) {
        Py_RETURN_NONE;
    }
    sqlite3 *db = handle_of(connection);
    const char *main_file = db == NULL ? NULL : api.db_filename(db, "main");
    if (main_file == NULL || strcmp(main_file, filename) != 0 ||
        api.total_changes(db) != total_changes || api.get_autocommit(db) != autocommit) {
        Py_RETURN_NONE;
    }
    size_t n = 0, capacity = 1 << 16;
    int64_t *packed = malloc(capacity * sizeof *packed);
    double *value = malloc(capacity * sizeof *value);
    int ok = packed != NULL && value != NULL, rc = 0, null_packed = 0;
    sqlite3_stmt *stmt = NULL;
    Py_BEGIN_ALLOW_THREADS /* as the sqlite3 module steps its statements */
    if (ok && (api.prepare_v2(db, sql, -1, &stmt, NULL) != 0 || stmt == NULL ||
               api.column_count(stmt) != 2)) {
        ok = 0;
    }
    while (ok && (rc = api.step(stmt)) == ROW) {
        if (n == capacity) {
            capacity *= 2;
            int64_t *p = realloc(packed, capacity * sizeof *packed);
            if (p != NULL) {
                packed = p;
            }
            double *v = realloc(value, capacity * sizeof *value);
            if (v != NULL) {
                value = v;
            }
            if (p == NULL || v == NULL) {
                ok = 0;
                break;
            }
        }
        int first = api.column_type(stmt, 0), kind = api.column_type(stmt, 1);
        if (first != INTEGER || (kind != FLOAT && kind != INTEGER)) {
            null_packed = first == NULL_TYPE;
            ok = 0;
            break;
        }
        packed[n] = api.column_int64(stmt, 0);
        value[n] = kind == FLOAT ? api.column_double(stmt, 1) : (double)api.column_int64(stmt, 1);
        n++;
    }
    if (stmt != NULL) {
        api.finalize(stmt);
    }
    Py_END_ALLOW_THREADS
    PyObject *result = NULL;
    if (ok && rc == DONE) {
        result = Py_BuildValue("(y#y#)", (const char *)packed, (Py_ssize_t)(n * sizeof *packed),
                               (const char *)value, (Py_ssize_t)(n * sizeof *value));
    } else {
        result = Py_NewRef(null_packed ? Py_False : Py_None);
    }
    free(packed);
    free(value);
    return result;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS, "Look SQLite's functions up in Python's _sqlite3 module."},
    {"read", read_columns, METH_VARARGS, "Two numeric columns of a statement as buffers, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, "_sqlite_columns", NULL, -1, methods,
};

PyMODINIT_FUNC PyInit__sqlite_columns(void) { return PyModule_Create(&definition); }
