package dev.bazaar.faults;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A scenario that fails today because of a gap of issue 9 not closed yet: skipped, with the reason, in the short
 * profile ({@code make test} stays green), but always run by {@code make test-faults}, where it fails until the gap is
 * closed. Remove the annotation with the fix.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ExtendWith(KnownGap.Condition.class)
@interface KnownGap {
    /** Which gap and why the scenario fails. */
    String value();

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getElement().map(element -> element.getAnnotation(KnownGap.class))
                    .filter(gap -> Profile.current() == Profile.SHORT)
                    .map(gap -> ConditionEvaluationResult.disabled("known gap, runs in make test-faults: " + gap.value()))
                    .orElse(ConditionEvaluationResult.enabled("no known gap, or the full profile"));
        }
    }
}
