#pragma once
/// @file engage.hpp
/// Umbrella header: everything public in engage.

#include "agreement.hpp"
#include "confidentiality.hpp"
#include "config.hpp"
#include "correlation.hpp"
#include "datasets.hpp"
#include "engagement.hpp"
#include "enps.hpp"
#include "errors.hpp"
#include "grouping.hpp"
#include "interval.hpp"
#include "linkage.hpp"
#include "logistic.hpp"
#include "meta_analysis.hpp"
#include "model_quality.hpp"
#include "multiplicity.hpp"
#include "reliability.hpp"
#include "survival.hpp"
#include "version.hpp"
