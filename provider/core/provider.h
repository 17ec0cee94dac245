/*
 * provider.h - what a provider, a resource, a data source and an ephemeral
 * resource look like to the core.
 *
 * Each resource is one const struct of slots, the way curl describes each
 * protocol with one struct Curl_handler.  A NULL slot means "the core's
 * default": no extra validation, no custom plan, read keeps the state as it
 * is, update copies the plan, delete forgets the object.  The schema (found
 * by name in schema/<provider>/) says everything else, so a handler only
 * knows its domain: which API to call and how to map the fields.
 *
 * Values passed in are borrowed.  A slot that fills in a value (create,
 * update, read, import, data source read) gets an object it owns for the
 * duration of the call and changes it in place with tf_value_set().
 * Every slot returns 0 on success or -1 after adding an error to c->diags.
 */
#ifndef THINGFORM_PROVIDER_H
#define THINGFORM_PROVIDER_H

#include <stdatomic.h>
#include <stdbool.h>

#include "codec.h"
#include "diag.h"
#include "plan.h"
#include "schema.h"
#include "value.h"

/* What a slot gets besides its values. */
struct tf_ctx {
	struct tf_diags *diags;
	void *meta;                   /* what the provider's configure returned */
	const atomic_bool *stopping;  /* set by StopProvider: give up promptly */
	const struct tf_schema *schema;
};

static inline bool tf_ctx_stopping(const struct tf_ctx *c)
{
	return c->stopping && atomic_load(c->stopping);
}

struct tf_resource {
	const char *name;
	/* Extra checks beyond the schema's on a (possibly partly unknown) config. */
	int (*validate)(struct tf_ctx *c, const struct tf_value *config);
	/*
	 * Runs after the generic plan rules on an update or create (never on
	 * destroy).  `prior` is NULL on create.  It may change `planned` and
	 * add paths to `replace`.
	 */
	int (*plan)(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		    struct tf_value *planned, struct tf_paths *replace);
	/* `state` starts as the plan; fill every unknown. */
	int (*create)(struct tf_ctx *c, const struct tf_value *config, struct tf_value *state);
	/* Refresh `state` in place; set *gone when the object no longer exists. */
	int (*read)(struct tf_ctx *c, struct tf_value *state, bool *gone);
	/* `state` starts as the plan; make it so and fill every unknown. */
	int (*update)(struct tf_ctx *c, const struct tf_value *prior, const struct tf_value *config,
		      struct tf_value *state);
	int (*destroy)(struct tf_ctx *c, const struct tf_value *prior);
	/* `state` starts as an object of nulls; fill what `id` identifies.
	 * NULL: the resource cannot be imported. */
	int (*import)(struct tf_ctx *c, const char *id, struct tf_value *state);
	/*
	 * Brings state written under an older schema `version` up to date.
	 * `state` is that state decoded with the current schema's type
	 * (attributes it no longer has are dropped, new ones are null); fix it
	 * in place.  NULL: only the current version is accepted.
	 */
	int (*upgrade)(struct tf_ctx *c, int64_t version, struct tf_value *state);
};

struct tf_data_source {
	const char *name;
	int (*validate)(struct tf_ctx *c, const struct tf_value *config);
	/* `state` starts as the config; fill every computed attribute. */
	int (*read)(struct tf_ctx *c, struct tf_value *state);
};

/*
 * What an ephemeral resource hands Terraform besides its result, in Open
 * and again in each Renew: opaque bytes Terraform keeps in memory only
 * (never in a state or plan file) and gives back to Renew and Close, and
 * when Renew is due.  The core wipes the bytes once they are sent (they
 * are a struct tf_bytes so that tf_bytes_add/tf_bytes_release apply).
 */
struct tf_ephemeral_session {
	struct tf_bytes private_data; /* empty: nothing to keep */
	int64_t renew_at;             /* Unix time in seconds; 0: never renew */
};

/*
 * A value Terraform asks for on every run and never stores: the core
 * serves ValidateEphemeralResourceConfig, OpenEphemeralResource,
 * RenewEphemeralResource and CloseEphemeralResource from these slots.
 */
struct tf_ephemeral_resource {
	const char *name;
	int (*validate)(struct tf_ctx *c, const struct tf_value *config);
	/*
	 * `result` starts as the config with the schema's defaults filled in
	 * and every other computed attribute unknown: fill every unknown.
	 * Open is only called with a wholly known config.  `s` starts empty.
	 */
	int (*open)(struct tf_ctx *c, struct tf_value *result, struct tf_ephemeral_session *s);
	/* `s` starts with the private data Open (or the last Renew) gave;
	 * replace it if needed and set the next renew_at.  NULL: Open never
	 * asks for a renewal. */
	int (*renew)(struct tf_ctx *c, struct tf_ephemeral_session *s);
	/* Releases what Open acquired.  NULL: nothing to release. */
	int (*close)(struct tf_ctx *c, const struct tf_bytes *private_data);
};

struct tf_provider {
	const char *name;                             /* "random" */
	const struct tf_resource *const *resources;   /* NULL-terminated */
	const struct tf_data_source *const *data_sources;
	const struct tf_ephemeral_resource *const *ephemeral_resources; /* NULL: none */
	int (*validate)(struct tf_ctx *c, const struct tf_value *config);
	/* Turns the provider block into the immutable `meta` every slot gets;
	 * NULL: the provider keeps no configuration. */
	int (*configure)(struct tf_ctx *c, const struct tf_value *config, void **meta);
	void (*release)(void *meta);
};

/* Defined once per executable, by provider/<name>/provider.c. */
extern const struct tf_provider thingform_provider;
/* Generated from schema/<name>/ by provider/tools/gen-schema.c. */
extern const struct tf_schema_file thingform_schema_files[];

#endif
