/*
 * random.h - the random provider's resources.
 */
#ifndef THINGFORM_RANDOM_H
#define THINGFORM_RANDOM_H

#include "provider.h"

extern const struct tf_resource random_id_resource;

#endif
