/*
 * gen-docs.c - registry-format documentation from schema/.
 *
 *   gen-docs OUTDIR PROVIDER
 *
 * Reads schema/PROVIDER/ through the same parser the providers use, so the
 * docs can never disagree with what Terraform is told, and writes the
 * layout the Terraform and OpenTofu registries read:
 *   OUTDIR/index.md, OUTDIR/resources/<name>.md, OUTDIR/data-sources/<name>.md,
 *   OUTDIR/ephemeral-resources/<name>.md
 * where <name> drops the "PROVIDER_" prefix.  Examples are taken from
 * examples/resources/<type>/resource.tf (data-sources/<type>/data-source.tf,
 * ephemeral-resources/<type>/ephemeral-resource.tf) and import IDs from
 * examples/resources/<type>/import.sh, when present.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "provider/tools/read-file.h"
#include "schema.h"

/* "String", "List of Number", "Map of String", ... as the registry shows them. */
static void type_name(const struct tf_type *t, char *buf, size_t len)
{
	char inner[128];
	switch (t->kind) {
	case TF_TYPE_STRING: snprintf(buf, len, "String"); return;
	case TF_TYPE_NUMBER: snprintf(buf, len, "Number"); return;
	case TF_TYPE_BOOL: snprintf(buf, len, "Boolean"); return;
	case TF_TYPE_DYNAMIC: snprintf(buf, len, "Dynamic"); return;
	case TF_TYPE_OBJECT: snprintf(buf, len, "Object"); return;
	case TF_TYPE_TUPLE: snprintf(buf, len, "Tuple"); return;
	case TF_TYPE_LIST: case TF_TYPE_SET: case TF_TYPE_MAP:
		type_name(t->elem, inner, sizeof(inner));
		snprintf(buf, len, "%s of %s",
			 t->kind == TF_TYPE_LIST ? "List" : t->kind == TF_TYPE_SET ? "Set" : "Map",
			 inner);
		return;
	}
}

static const char *nesting_name(enum tf_nesting n)
{
	switch (n) {
	case TF_NESTING_LIST: return "List";
	case TF_NESTING_SET: return "Set";
	case TF_NESTING_MAP: return "Map";
	default: return "Single";
	}
}

enum group { REQUIRED, OPTIONAL, READ_ONLY };

static enum group attr_group(const struct tf_attr *a)
{
	return a->required ? REQUIRED : a->optional ? OPTIONAL : READ_ONLY;
}

static void write_block(FILE *out, const struct tf_block *b, const char *anchor_prefix)
{
	static const char *const headings[] = { "Required", "Optional", "Read-Only" };
	for (int g = REQUIRED; g <= READ_ONLY; g++) {
		bool any = false;
		for (size_t i = 0; i < b->n_attrs; i++) {
			const struct tf_attr *a = &b->attrs[i];
			if (attr_group(a) != (enum group)g)
				continue;
			if (!any)
				fprintf(out, "### %s\n\n", headings[g]);
			any = true;
			char t[160];
			type_name(a->type, t, sizeof(t));
			fprintf(out, "- `%s` (%s%s%s%s) %s\n", a->name, t,
				a->sensitive ? ", Sensitive" : "",
				a->write_only ? ", Write-only" : "",
				a->deprecated ? ", Deprecated" : "",
				a->description ? a->description : "");
			if (a->replace != TF_REPLACE_NEVER)
				fprintf(out, "  Changing it forces a new resource.\n");
		}
		for (size_t i = 0; g == OPTIONAL && i < b->n_blocks; i++) {
			const struct tf_nested_block *nb = &b->blocks[i];
			if (!any)
				fprintf(out, "### %s\n\n", headings[g]);
			any = true;
			fprintf(out, "- `%s` (Block %s", nb->name, nesting_name(nb->nesting));
			if (nb->max_items)
				fprintf(out, ", Max: %lld", (long long)nb->max_items);
			fprintf(out, ") %s (see [below for nested schema](#%snestedblock--%s))\n",
				nb->block.description ? nb->block.description : "", anchor_prefix,
				nb->name);
		}
		if (any)
			fprintf(out, "\n");
	}
	for (size_t i = 0; i < b->n_blocks; i++) {
		const struct tf_nested_block *nb = &b->blocks[i];
		fprintf(out, "<a id=\"%snestedblock--%s\"></a>\n### Nested Schema for `%s`\n\n",
			anchor_prefix, nb->name, nb->name);
		char prefix[256];
		snprintf(prefix, sizeof(prefix), "%snestedblock--%s--", anchor_prefix, nb->name);
		write_block(out, &nb->block, prefix);
	}
}

/* A YAML block scalar's body: every line indented by two spaces. */
static void write_indented(FILE *out, const char *text)
{
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		fprintf(out, len ? "  %.*s\n" : "\n", (int)len, line);
		line += len + (nl != NULL);
	}
}

static void write_file_section(FILE *out, const char *heading, const char *path, const char *lang)
{
	char *text = read_file(path);
	if (!text)
		return;
	fprintf(out, "## %s\n\n```%s\n%s%s```\n\n", heading, lang, text,
		text[0] && text[strlen(text) - 1] == '\n' ? "" : "\n");
	free(text);
}

/* Where each kind's docs and examples go, and what its pages are called. */
static const struct {
	const char *dir, *title, *example;
} kinds[] = {
	[TF_SCHEMA_RESOURCE] = { "resources", "Resource", "resource" },
	[TF_SCHEMA_DATA_SOURCE] = { "data-sources", "Data Source", "data-source" },
	[TF_SCHEMA_EPHEMERAL_RESOURCE] = { "ephemeral-resources", "Ephemeral Resource",
					   "ephemeral-resource" },
};

static int write_doc(const char *outdir, const char *provider, const struct tf_schema *s)
{
	const char *kind = kinds[s->kind].dir, *title = kinds[s->kind].title;
	size_t plen = strlen(provider);
	const char *short_name = strncmp(s->name, provider, plen) == 0 && s->name[plen] == '_'
					 ? s->name + plen + 1 : s->name;
	char path[1024], example[1024];

	snprintf(path, sizeof(path), "%s/%s", outdir, kind);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s.md", outdir, kind, short_name);
	FILE *out = fopen(path, "w");
	if (!out) {
		fprintf(stderr, "gen-docs: %s: %s\n", path, strerror(errno));
		return -1;
	}
	const char *desc = s->block.description ? s->block.description : "";
	fprintf(out, "---\npage_title: \"%s %s - %s\"\nsubcategory: \"\"\ndescription: |-\n", s->name,
		title, provider);
	write_indented(out, desc);
	fprintf(out, "---\n\n");
	fprintf(out, "# %s (%s)\n\n%s\n\n", s->name, title, desc);
	snprintf(example, sizeof(example), "examples/%s/%s/%s.tf", kind, s->name,
		 kinds[s->kind].example);
	write_file_section(out, "Example Usage", example, "terraform");
	fprintf(out, "<!-- schema generated by thingform gen-docs from schema/%s -->\n## Schema\n\n",
		provider);
	write_block(out, &s->block, "");
	snprintf(example, sizeof(example), "examples/%s/%s/import.sh", kind, s->name);
	write_file_section(out, "Import", example, "shell");
	fclose(out);
	printf("  DOC     %s\n", path);
	return 0;
}

static int write_index(const char *outdir, const char *provider, const struct tf_schema *s)
{
	char path[1024], example[1024];
	snprintf(path, sizeof(path), "%s/index.md", outdir);
	FILE *out = fopen(path, "w");
	if (!out) {
		fprintf(stderr, "gen-docs: %s: %s\n", path, strerror(errno));
		return -1;
	}
	const char *desc = s->block.description ? s->block.description : "";
	fprintf(out, "---\npage_title: \"%s Provider\"\ndescription: |-\n", provider);
	write_indented(out, desc);
	fprintf(out, "---\n\n");
	fprintf(out, "# %s Provider\n\n%s\n\n", provider, desc);
	snprintf(example, sizeof(example), "examples/provider/%s/provider.tf", provider);
	write_file_section(out, "Example Usage", example, "terraform");
	if (s->block.n_attrs || s->block.n_blocks) {
		fprintf(out, "## Schema\n\n");
		write_block(out, &s->block, "");
	}
	fclose(out);
	printf("  DOC     %s\n", path);
	return 0;
}

static int walk(const char *outdir, const char *provider, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));) {
		char path[1024];
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		char *text = read_file(path), err[512];
		struct tf_schema *s = text ? tf_schema_parse(path, text, err, sizeof(err)) : NULL;
		if (!s) {
			fprintf(stderr, "gen-docs: %s\n", text ? err : strerror(errno));
			rc = -1;
		} else if ((s->kind == TF_SCHEMA_PROVIDER ? write_index(outdir, provider, s)
							   : write_doc(outdir, provider, s)) < 0) {
			rc = -1;
		}
		tf_schema_free(s);
		free(text);
	}
	closedir(d);
	return rc;
}

/* mkdir -p */
static void make_dirs(const char *path)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	}
	mkdir(buf, 0755);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen-docs OUTDIR PROVIDER\n");
		return 2;
	}
	const char *outdir = argv[1], *provider = argv[2];
	char dir[512];
	make_dirs(outdir);
	int rc = 0;
	snprintf(dir, sizeof(dir), "schema/%s", provider);
	rc |= walk(outdir, provider, dir);
	snprintf(dir, sizeof(dir), "schema/%s/resources", provider);
	rc |= walk(outdir, provider, dir);
	snprintf(dir, sizeof(dir), "schema/%s/data-sources", provider);
	rc |= walk(outdir, provider, dir);
	snprintf(dir, sizeof(dir), "schema/%s/ephemeral-resources", provider);
	rc |= walk(outdir, provider, dir);
	return rc ? 1 : 0;
}
