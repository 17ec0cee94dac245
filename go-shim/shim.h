/*
 * shim.h - the go-plugin server side in C (see shim.c).
 */
#ifndef THINGFORM_SHIM_H
#define THINGFORM_SHIM_H

#include "provider.h"

/* The whole life of a plugin process; returns the exit status. */
int tf_shim_main(int argc, char **argv, const struct tf_provider *provider,
		 const struct tf_schema_file *schema_files);

#endif
