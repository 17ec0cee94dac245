/*
 * main.c - one provider executable.  Which provider it is comes from what
 * it is linked with: provider/<name>/provider.c defines thingform_provider
 * and the build compiles schema/<name>/ into thingform_schema_files.
 */
#include "provider.h"
#include "shim.h"

int main(int argc, char **argv)
{
	return tf_shim_main(argc, argv, &thingform_provider, thingform_schema_files);
}
