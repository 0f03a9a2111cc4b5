DROP TABLE calendar.feed_tokens;
DROP TABLE calendar.event_exceptions;
DROP TABLE calendar.events;
