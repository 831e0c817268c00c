"""/exam: the final exam, one question at a time; a certificate (PNG) for a learner who passes it and
every exercise; /verify <code> checks a certificate for anyone."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import ExamAnswer, ExamRestart, ExamResume, ExamStart
from bot.content import Course
from bot.context import BotContext
from bot.handlers import fair_use
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.common import PRIVATE, LearnerSnapshot, enrolled_course, learner, reply
from bot.i18n import t
from bot.services import exam, journey
from bot.services.shown_names import shown_name
from bot.services.unit_of_work import LearnerRow, Session
from bot.views.certificate import certificate_png
from bot.views.exam import (
    exam_failed_view,
    exam_in_progress_view,
    exam_not_ready_view,
    exam_question_view,
    exam_restart_confirm_view,
)

__all__ = ["handlers"]


async def _ask(update: Update, context: BotContext, me: LearnerSnapshot, course: Course,
               item: exam.ExamQuestion) -> None:
    view = exam_question_view(me.lang, course, attempt_id=item.attempt_id, position=item.position, count=item.count,
                              question=item.question, order=item.order)
    await reply(update, context, view.text, view.markup)


async def _result(update: Update, context: BotContext, me: LearnerSnapshot, result: exam.ExamResult) -> None:
    if result.passed:
        await reply(update, context, t(me.lang, "exam_passed", score=result.score, count=result.count,
                                       needed=result.needed))
    else:
        course = journey.active_course(catalog=context.services.catalog, learner=me)
        view = exam_failed_view(me.lang, course, score=result.score, count=result.count, needed=result.needed,
                                weakest=result.weakest)
        await reply(update, context, view.text, view.markup)
    if result.passed and result.missing:
        await reply(update, context, t(me.lang, "exam_exercises_missing", names=", ".join(result.missing)))
    if result.certificate is not None:
        await _send_certificate(update, context, me, result.certificate)


async def _send_certificate(update: Update, context: BotContext, me: LearnerSnapshot,
                            certificate: exam.IssuedCertificate) -> None:
    png = await asyncio.to_thread(
        certificate_png, lang=me.lang, name=shown_name(certificate.name), course=certificate.course_title,
        score=certificate.score, total=certificate.total, issued=certificate.issued_at, code=certificate.code,
        exam_only=not context.services.settings.lab_enabled)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_photo(chat_id=chat.id, photo=InputFile(png, filename=f"certificat-{certificate.code}.png"),
                                 caption=t(me.lang, "exam_certificate", code=certificate.code))


async def exam_command(update: Update, context: BotContext) -> None:
    """A certificate already earned is sent again; a passed exam with the exercises now done earns one;
    an unfinished exam is offered to resume or start over (never dropped silently); a learner who has not
    read every lesson is warned first; otherwise a new exam starts."""
    me = await learner(update, context)
    course = await enrolled_course(update, context, me)
    if course is None:
        return
    await _begin(update, context, me, course, warn=True)


@on_press(ExamStart)
async def exam_start(update: Update, context: BotContext, press: Press[ExamStart]) -> None:
    """Start the exam after the warning about lessons not read yet."""
    course = journey.active_course(catalog=context.services.catalog, learner=press.me)
    await press.accept()
    await _begin(update, context, press.me, course, warn=False)


async def _begin(update: Update, context: BotContext, me: LearnerSnapshot, course: Course, *, warn: bool) -> None:
    services = context.services
    now = services.clock.now()

    def begin(session: Session, row: LearnerRow) -> (exam.ExamQuestion | exam.ExamResult | exam.ExamNotReady
                                                    | exam.ExamInProgress):
        passed = exam.best_passed(session=session, course=course, learner=row, now=now,
                                  exercises_required=services.settings.lab_enabled)
        if passed is not None and passed.certificate is not None:
            return passed
        if (running := exam.current_exam(session=session, course=course, learner=row)) is not None:
            return exam.ExamInProgress(running)
        if warn and (unready := exam.not_ready(session=session, course=course, learner=row)) is not None:
            return unready
        return exam.start_exam(session=session, course=course, learner=row, now=now)

    outcome = await services.db.as_learner(me.id, begin)
    if isinstance(outcome, exam.ExamNotReady):
        view = exam_not_ready_view(me.lang, read=outcome.lessons_read, total=outcome.lessons_total,
                                   modules=outcome.modules, questions=outcome.questions)
        await reply(update, context, view.text, view.markup)
        return
    if isinstance(outcome, exam.ExamResult):
        assert outcome.certificate is not None
        await reply(update, context, t(me.lang, "exam_already", code=outcome.certificate.code))
        await _send_certificate(update, context, me, outcome.certificate)
        return
    if isinstance(outcome, exam.ExamInProgress):
        view = exam_in_progress_view(me.lang, attempt_id=outcome.question.attempt_id,
                                     answered=outcome.question.position, count=outcome.question.count)
        await reply(update, context, view.text, view.markup)
        return
    await _intro(update, context, me, course, outcome)


async def _intro(update: Update, context: BotContext, me: LearnerSnapshot, course: Course,
                 outcome: exam.ExamQuestion) -> None:
    needed = exam.pass_threshold(course, outcome.count)
    await reply(update, context, t(me.lang, "exam_intro", count=outcome.count, needed=needed))
    await _ask(update, context, me, course, outcome)


@on_press(ExamResume)
async def exam_resume(update: Update, context: BotContext, press: Press[ExamResume]) -> None:
    """The running exam's next question, asked again."""
    me = press.me
    course = journey.active_course(catalog=context.services.catalog, learner=me)
    attempt = press.payload.attempt

    def resume(session: Session, row: LearnerRow) -> exam.ExamQuestion:
        return exam.resume_exam(session=session, course=course, learner=row, attempt_id=attempt)

    item = await context.services.db.as_learner(me.id, resume)  # StaleReference: that exam is over
    await press.accept()
    await _ask(update, context, me, course, item)


@on_press(ExamRestart)
async def exam_restart(update: Update, context: BotContext, press: Press[ExamRestart]) -> None:
    """Start over: first a confirmation (the answers given are lost), then a new exam."""
    services, me, payload = context.services, press.me, press.payload
    course = journey.active_course(catalog=services.catalog, learner=me)
    now = services.clock.now()

    def restart(session: Session, row: LearnerRow) -> exam.ExamQuestion:
        if payload.confirmed:
            return exam.restart_exam(session=session, course=course, learner=row, attempt_id=payload.attempt, now=now)
        return exam.resume_exam(session=session, course=course, learner=row, attempt_id=payload.attempt)

    item = await services.db.as_learner(me.id, restart)  # StaleReference: that exam is over
    await press.accept()
    if payload.confirmed:
        await _intro(update, context, me, course, item)
        return
    view = exam_restart_confirm_view(me.lang, attempt_id=item.attempt_id, answered=item.position)
    await reply(update, context, view.text, view.markup)


@on_press(ExamAnswer)
async def exam_answer(update: Update, context: BotContext, press: Press[ExamAnswer]) -> None:
    services, me = context.services, press.me
    course = journey.active_course(catalog=services.catalog, learner=me)
    now = services.clock.now()
    payload = press.payload

    def answer(session: Session, row: LearnerRow) -> exam.ExamQuestion | exam.ExamResult:
        return exam.answer_exam(session=session, course=course, learner=row, attempt_id=payload.attempt,
                                position=payload.position, choice=payload.choice, now=now,
                                exercises_required=services.settings.lab_enabled)

    outcome = await services.db.as_learner(me.id, answer)  # StaleReference: an old exam's button
    await press.accept(t(me.lang, "exam_recorded"))  # the answered question loses its buttons: no second answer
    if isinstance(outcome, exam.ExamQuestion):
        await _ask(update, context, me, course, outcome)
    else:
        await _result(update, context, me, outcome)


async def verify_command(update: Update, context: BotContext) -> None:
    me = await learner(update, context)
    code = " ".join(context.args or [])
    if not code.strip():
        await reply(update, context, t(me.lang, "verify_usage"))
        return
    if not await fair_use.guess_allowed(update, context, me.lang):  # codes are not to be guessed
        return
    found = await context.services.db.run(lambda session: exam.verify_certificate(session=session, code=code))
    if found is None:
        await reply(update, context, t(me.lang, "verify_unknown", code=exam.normalize_code(code)[:32] or code[:32]))
        return
    if isinstance(found, exam.WithdrawnCertificate):
        await reply(update, context, t(me.lang, "verify_withdrawn", code=found.code, course=found.course_title,
                                       date=found.withdrawn_at.strftime("%d/%m/%Y")))
        return
    await reply(update, context, t(me.lang, "verify_ok", name=shown_name(found.name), course=found.course_title,
                                   score=found.score, total=found.total, date=found.issued_at.strftime("%d/%m/%Y")))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["exam", "examen"], exam_command, filters=PRIVATE),
        CommandHandler(["verify", "certificat"], verify_command),
        press_handler(exam_answer),
        press_handler(exam_start),
        press_handler(exam_resume),
        press_handler(exam_restart),
    ]
