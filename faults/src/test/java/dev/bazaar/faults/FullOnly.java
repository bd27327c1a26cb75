package dev.bazaar.faults;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A scenario too long for {@code make test}: it runs in {@code make test-faults} (the full profile) only. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ExtendWith(FullOnly.Condition.class)
@interface FullOnly {
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return Profile.current() == Profile.FULL ? ConditionEvaluationResult.enabled("full profile")
                    : ConditionEvaluationResult.disabled("make test-faults only (full profile)");
        }
    }
}
