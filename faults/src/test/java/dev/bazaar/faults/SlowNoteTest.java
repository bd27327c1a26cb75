package dev.bazaar.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SlowNoteTest {

    @Test
    void groupsTheSlowAnswersBySecondsInARow() {
        OpenLoad load = new OpenLoad(List.of(), List.of(), () -> "");
        List.of(0.1, 0.7, 1.2, 2.9, 21.5, 21.6, 40.0).forEach(load.slowDueAt::add);
        assertEquals(Optional.of("7 over 250 ms, due in s 0-2 (4), 21 (2), 40 (1)"), SetChecker.slowNote(load));
    }

    @Test
    void saysNothingWithoutSlowAnswers() {
        assertEquals(Optional.empty(), SetChecker.slowNote(new OpenLoad(List.of(), List.of(), () -> "")));
    }
}
