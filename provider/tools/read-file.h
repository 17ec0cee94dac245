/*
 * read-file.h - whole files for the build-time tools.
 */
#ifndef THINGFORM_READ_FILE_H
#define THINGFORM_READ_FILE_H

/* The contents of `path`, NUL-terminated, malloc'd (the caller frees), or
 * NULL with errno set. */
char *read_file(const char *path);

#endif
