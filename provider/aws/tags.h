/*
 * tags.h - resource tags the way hashicorp/aws handles them, for every
 * tagged resource: `tags` (what the configuration sets) and `tags_all`
 * (what the resource carries: the provider's default_tags under the
 * resource's own tags), with system (`aws:`) keys and the provider's
 * ignore_tags left out of both.
 *
 * The rules (struct aws_tag_rules, in aws.h) are built once by the
 * provider's configure (aws_config_tags, config.c) and never change.
 *
 * The generic part (aws_tag_*, aws_tags_*) is pure and works on
 * tf_values: MAPs of strings for tag sets, a SET of strings for keys.
 * The iot_tags_* part calls the AWS IoT tagging API
 * (ListTagsForResource, TagResource, UntagResource) through iot.h.
 *
 * Ownership: functions returning a struct tf_value * give a new value
 * (tf_value_free it); NULL means memory ran out.  Arguments are borrowed.
 */
#ifndef THINGFORM_AWS_TAGS_H
#define THINGFORM_AWS_TAGS_H

#include <stdbool.h>

#include <jansson.h>

#include "aws.h"

/* True when no resource manages `key`: an `aws:` key, or one ignore_tags
 * names (by key or by prefix).  `r` may be NULL (no rules). */
bool aws_tag_ignored(const struct aws_tag_rules *r, const char *key);

/*
 * tags_all for a plan: the default tags, then the resource's `tags` over
 * them, without null values and ignored keys.  A MAP; unknown when `tags`
 * is not wholly known.
 */
struct tf_value *aws_tags_merge(const struct aws_tag_rules *r, const struct tf_value *tags);

/* The plan step of a tagged resource: planned.tags_all from config.tags.
 * Before the provider is configured it leaves the plan alone.  0 or -1. */
int aws_tags_plan(const struct tf_ctx *c, const struct tf_value *config, struct tf_value *planned);

/*
 * The read step: `remote` (a MAP of strings) is what the resource carries.
 * Sets state.tags_all to it without ignored keys, and state.tags to the
 * part the configuration owns: every key state.tags already had (an
 * ignored key keeps its value there: it is not Terraform's to compare),
 * plus every key that is not a default tag with that same value (tags
 * added out of band show up, so the plan removes them).  state.tags stays
 * null when it was null and nothing is left.  0 or -1.
 */
int aws_tags_read(const struct aws_tag_rules *r, const struct tf_value *remote,
		  struct tf_value *state);

/* What turns tag set `from` into `to`: *set holds the keys to add or
 * change with their new values (a MAP), *unset the keys to remove (a SET
 * of strings).  0, or -1 with nothing returned. */
int aws_tags_diff(const struct tf_value *from, const struct tf_value *to, struct tf_value **set,
		  struct tf_value **unset);

/* --- the AWS IoT tagging API ------------------------------------------------------- */

/* [{"Key":k,"Value":v},...] for a tag set (the IoT TagList); new reference,
 * NULL on ENOMEM. */
json_t *iot_tags_json(const struct tf_value *tags);

/* ListTagsForResource on `arn`, every page, then aws_tags_read into
 * `state`.  *gone is set when the resource no longer exists.  0 or -1 with
 * a diagnostic. */
int iot_tags_refresh(const struct tf_ctx *c, const char *region, const char *arn,
		     struct tf_value *state, bool *gone);

/* UntagResource and TagResource so that the resource's tags go from
 * `from` to `to` (tags_all before and after); no call when they are the
 * same.  0 or -1 with a diagnostic on `tags`. */
int iot_tags_update(const struct tf_ctx *c, const char *region, const char *arn,
		    const struct tf_value *from, const struct tf_value *to);

#endif
