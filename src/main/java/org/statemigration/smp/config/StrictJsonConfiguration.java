package org.statemigration.smp.config;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies mean what they say. Jackson by default turns {@code "100"} into a number, {@code "true"} and
 * {@code 1} into booleans, {@code 1.5} into the integer 1, a number into an enum constant (by its position:
 * {@code {"operation": 1}} would mean RESTORE), a number or boolean into a string and an empty string into null.
 * Every such coercion is turned off here, so that the request is refused as a 400 {@code validation} (through
 * the message-not-readable answer of {@link ProblemDetailsAdvice}) instead of being taken for something the
 * caller did not write.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

	@Bean
	JsonMapperBuilderCustomizer noScalarCoercion() {
		return (builder) -> builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
			.withCoercionConfig(LogicalType.Integer,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Float,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Enum,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfigDefaults((config) -> config.setCoercion(CoercionInputShape.EmptyString,
					CoercionAction.Fail));
	}

}
