--
-- PostgreSQL database dump
--

\restrict kx08qPzgoeZp4FRy0ENj1uergus7nt8xhV6dRSMd9PcouSIVd35a3QfSeIOfu1L

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: accounts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.accounts (
    id integer NOT NULL,
    deleted boolean DEFAULT false,
    note text DEFAULT 'a;b'::text
);


ALTER TABLE public.accounts OWNER TO postgres;

--
-- Name: TABLE accounts; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.accounts IS 'it''s \ ; here';


--
-- Name: log; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.log (
    id integer
);


ALTER TABLE public.log OWNER TO postgres;

--
-- Name: bump(integer); Type: PROCEDURE; Schema: public; Owner: postgres
--

CREATE PROCEDURE public.bump(IN n integer)
    LANGUAGE sql
    BEGIN ATOMIC
 UPDATE public.accounts SET id = (accounts.id + bump.n);
 INSERT INTO public.log (id)
   VALUES (bump.n);
END;


ALTER PROCEDURE public.bump(IN n integer) OWNER TO postgres;

--
-- Name: grade(integer); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.grade(score integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    BEGIN ATOMIC
 SELECT
         CASE
             WHEN (score >= 90) THEN 'A'::text
             ELSE
             CASE
                 WHEN (score > 50) THEN 'B'::text
                 ELSE 'C'::text
             END
         END AS "case";
END;


ALTER FUNCTION public.grade(score integer) OWNER TO postgres;

--
-- Name: touch(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ begin new.note := 'x;y'; return new; end; $$;


ALTER FUNCTION public.touch() OWNER TO postgres;

--
-- Name: v; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.v AS
 SELECT accounts.id,
    public.grade(accounts.id) AS grade
   FROM public.accounts
  WHERE (accounts.note <> ';'::text);


ALTER TABLE public.v OWNER TO postgres;

--
-- Data for Name: accounts; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: log; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


--
-- Name: accounts protect; Type: RULE; Schema: public; Owner: postgres
--

CREATE RULE protect AS
    ON DELETE TO public.accounts DO INSTEAD ( UPDATE public.accounts SET deleted = true
  WHERE (accounts.id = old.id);
 INSERT INTO public.log (id)
  VALUES (old.id);
);


--
-- Name: accounts t; Type: TRIGGER; Schema: public; Owner: postgres
--

CREATE TRIGGER t BEFORE UPDATE ON public.accounts FOR EACH ROW EXECUTE FUNCTION public.touch();


--
-- PostgreSQL database dump complete
--

\unrestrict kx08qPzgoeZp4FRy0ENj1uergus7nt8xhV6dRSMd9PcouSIVd35a3QfSeIOfu1L

